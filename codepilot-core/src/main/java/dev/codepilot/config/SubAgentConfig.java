package dev.codepilot.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One entry of the agent file's {@code agents:} list: another agent the parent's blocks call as a
 * function, {@code name("task")}, which runs it to its end and returns its summary.
 *
 * @param name the Python name blocks call it by
 * @param file the sub-agent's agent file, absolute
 * @param config that file, loaded (its own sub-agents included)
 * @param description what the parent's prompt says about it; empty for its role
 * @param maxSteps a step limit for its runs; empty for its own {@code max_steps}
 * @param session whether its history lasts across calls or each call starts afresh
 */
public record SubAgentConfig(
    String name,
    Path file,
    AgentConfig config,
    Optional<String> description,
    OptionalInt maxSteps,
    SessionMode session) {

  /** How a sub-agent's history relates to the calls. */
  public enum SessionMode {
    /**
     * One history for all calls, kept with the parent's session (a resumed parent resumes its
     * sub-agents), so a later call can build on an earlier one.
     */
    INHERIT,
    /** Each call starts with an empty history. */
    FRESH;

    /** The word the agent file uses. */
    public String yamlName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Checks that no component is null. */
  public SubAgentConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(maxSteps, "maxSteps");
    Objects.requireNonNull(session, "session");
  }
}
