package dev.codepilot.config;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The agent file's {@code runtime.shell:} section: how {@code run_command} starts commands.
 *
 * @param confine whether commands run in the bubblewrap jail, default {@link Confine#AUTO}
 * @param network whether a confined command may use the network, default false
 * @param env variables every command gets on top of the allow-listed ones from the host ({@code
 *     PATH}, {@code HOME}, {@code LANG}, {@code LC_*}, {@code TERM}, {@code TZ}); nothing else of
 *     the runtime's environment reaches a command
 * @param limits what one confined command may use
 */
public record ShellConfig(
    Confine confine, boolean network, Map<String, String> env, Limits limits) {

  /** Every setting at its default. */
  public static final ShellConfig DEFAULT =
      new ShellConfig(Confine.AUTO, false, Map.of(), Limits.DEFAULT);

  /** Checks the components; {@code env} is copied in name order. */
  public ShellConfig {
    Objects.requireNonNull(confine, "confine");
    env = Map.copyOf(new TreeMap<>(Objects.requireNonNull(env, "env")));
    Objects.requireNonNull(limits, "limits");
  }

  /** A copy with another confinement setting. */
  public ShellConfig withConfine(Confine setting) {
    return new ShellConfig(setting, network, env, limits);
  }

  /** {@code runtime.shell.confine}. */
  public enum Confine {
    /** Confined where bubblewrap works; elsewhere unconfined, with one warning. */
    AUTO,
    /** Always confined; the runtime refuses to start where bubblewrap does not work. */
    ALWAYS,
    /** Never confined: commands run with the rights of the runtime's user. */
    NEVER;

    /** The name as the agent file spells it. */
    public String yamlName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * {@code runtime.shell.limits}: resource limits of one confined command and everything it starts.
   *
   * @param processes processes and threads at once, default {@value #DEFAULT_PROCESSES}
   * @param openFiles open files per process, default {@value #DEFAULT_OPEN_FILES}
   * @param fileSizeBytes the largest file a command may write, default 1 GiB
   * @param cpuSeconds CPU seconds per process, empty (the default) for no limit
   */
  public record Limits(int processes, int openFiles, long fileSizeBytes, OptionalLong cpuSeconds) {

    public static final int DEFAULT_PROCESSES = 512;
    public static final int DEFAULT_OPEN_FILES = 1024;
    public static final long DEFAULT_FILE_SIZE_BYTES = 1L << 30;
    public static final Limits DEFAULT =
        new Limits(
            DEFAULT_PROCESSES, DEFAULT_OPEN_FILES, DEFAULT_FILE_SIZE_BYTES, OptionalLong.empty());

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException when a limit is below 1
     */
    public Limits {
      Objects.requireNonNull(cpuSeconds, "cpuSeconds");
      if (processes < 1
          || openFiles < 1
          || fileSizeBytes < 1
          || (cpuSeconds.isPresent() && cpuSeconds.getAsLong() < 1)) {
        throw new IllegalArgumentException("every shell limit must be at least 1");
      }
    }
  }
}
