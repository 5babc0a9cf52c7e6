/**
 * The agent loop: one step asks the model, parses the reply into a control block and payloads,
 * checks and runs the block, and records the result; also the conversation and the system prompt.
 *
 * <p>Internal to {@code codepilot-core}: types are public only for the runtime in {@code
 * dev.codepilot}. Other modules must not use this package; use {@link dev.codepilot.AgentRuntime}
 * and {@link dev.codepilot.session.Transcript} instead.
 */
package dev.codepilot.loop;
