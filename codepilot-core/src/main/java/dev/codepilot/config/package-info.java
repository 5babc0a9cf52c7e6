/**
 * The agent file: reading and checking {@code agent.yaml} into an immutable {@link
 * dev.codepilot.config.AgentConfig} (model, runtime, shell and tool settings).
 *
 * <p>Public API: the configuration records, {@link dev.codepilot.config.AgentFile} and {@link
 * dev.codepilot.config.AgentFileException}. The YAML reading helpers are package-private.
 */
package dev.codepilot.config;
