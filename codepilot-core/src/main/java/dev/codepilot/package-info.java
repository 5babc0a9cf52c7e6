/**
 * CodePilot for Java: an agent whose model acts by writing Python control blocks that call host
 * tools in a GraalPy sandbox.
 *
 * <p>Public API. {@link dev.codepilot.AgentRuntime} loads an agent file and runs tasks; {@link
 * dev.codepilot.RunResult} says how a run ended; {@link dev.codepilot.CodePilot} holds process-wide
 * entry points. Start here; the packages {@code config}, {@code hooks}, {@code model}, {@code
 * session} and {@code tools} hold the types these use, and {@code exception} the unchecked {@link
 * dev.codepilot.exception.CodePilotException} every failure they throw extends.
 */
package dev.codepilot;
