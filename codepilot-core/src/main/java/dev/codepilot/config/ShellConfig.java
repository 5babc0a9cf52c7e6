package dev.codepilot.config;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The agent file's {@code runtime.shell:} section: how {@code run_command} starts commands.
 *
 * @param env variables every command gets on top of the allow-listed ones from the host
 *            ({@code PATH}, {@code HOME}, {@code LANG}, {@code LC_*}, {@code TERM}, {@code TZ});
 *            nothing else of the runtime's environment reaches a command
 */
public record ShellConfig(Map<String, String> env) {

  /** Every setting at its default. */
  public static final ShellConfig DEFAULT = new ShellConfig(Map.of());

  /** Checks the components; {@code env} is copied in name order. */
  public ShellConfig {
    env = Map.copyOf(new TreeMap<>(Objects.requireNonNull(env, "env")));
  }
}
