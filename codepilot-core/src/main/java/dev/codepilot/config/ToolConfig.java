package dev.codepilot.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of the agent file's {@code tools:} list.
 *
 * @param name the tool's name as the model calls it
 * @param enabled false removes the tool from the sandbox and the prompt
 * @param config the tool's settings ({@code require_permission}, {@code timeout}, or anything a
 *     custom tool reads); values are strings, numbers, booleans, lists or maps
 */
public record ToolConfig(String name, boolean enabled, Map<String, Object> config) {

  /**
   * The tools every runtime offers, which can be neither disabled nor replaced: without {@code
   * think} the model cannot talk to the user, without {@code done} it cannot finish a run.
   */
  public static final Set<String> ALWAYS_ENABLED = Set.of("think", "done");

  /** Checks the name; {@code config} is copied and must hold no null keys or values. */
  public ToolConfig {
    Objects.requireNonNull(name, "name");
    config = Map.copyOf(config);
  }

  /** An enabled tool with no settings. */
  public static ToolConfig enabled(String name) {
    return new ToolConfig(name, true, Map.of());
  }

  /** {@code config.require_permission}, false when absent. */
  public boolean requirePermission() {
    return Boolean.TRUE.equals(config.get("require_permission"));
  }

  /** {@code config.timeout} in seconds, when set. */
  public Optional<Duration> timeout() {
    Object value = config.get("timeout");
    if (value instanceof Number n) {
      return Optional.of(Duration.ofMillis(Math.round(n.doubleValue() * 1000)));
    }
    return Optional.empty();
  }
}
