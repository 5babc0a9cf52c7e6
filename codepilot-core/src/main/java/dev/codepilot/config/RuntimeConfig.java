package dev.codepilot.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The agent file's {@code runtime:} section.
 *
 * @param workDir        the workspace, absolute; file tools are confined to it
 * @param maxSteps       hard cap on steps per {@code run}, default 20
 * @param unsafeMode     when true, file tools may reach outside {@code workDir}
 * @param allowedImports modules a control block may import
 * @param execTimeout    how long one control block may run (time inside tools not counted),
 *                       default 30 s
 * @param maxOutputChars limit on any text fed back to the model, default 20000
 * @param shell          how {@code run_command} starts commands ({@code runtime.shell})
 */
public record RuntimeConfig(
    Path workDir,
    int maxSteps,
    boolean unsafeMode,
    List<String> allowedImports,
    Duration execTimeout,
    int maxOutputChars,
    ShellConfig shell) {

  public static final int DEFAULT_MAX_STEPS = 20;
  public static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_OUTPUT_CHARS = 20_000;
  public static final List<String> DEFAULT_ALLOWED_IMPORTS = List.of(
      "re", "json", "math", "datetime", "random", "itertools", "collections", "typing", "pathlib");

  /**
   * Checks the components; {@code allowedImports} is copied.
   *
   * @throws IllegalArgumentException when {@code maxSteps} is below 1, {@code maxOutputChars}
   *     below 100, or {@code execTimeout} is not positive
   */
  public RuntimeConfig {
    Objects.requireNonNull(workDir, "workDir");
    allowedImports = List.copyOf(allowedImports);
    Objects.requireNonNull(execTimeout, "execTimeout");
    Objects.requireNonNull(shell, "shell");
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be at least 1");
    }
    if (maxOutputChars < 100) {
      throw new IllegalArgumentException("maxOutputChars must be at least 100");
    }
    if (execTimeout.isNegative() || execTimeout.isZero()) {
      throw new IllegalArgumentException("execTimeout must be positive");
    }
  }

  /** The settings with {@code runtime.shell} at its defaults. */
  public RuntimeConfig(Path workDir, int maxSteps, boolean unsafeMode, List<String> allowedImports,
      Duration execTimeout, int maxOutputChars) {
    this(workDir, maxSteps, unsafeMode, allowedImports, execTimeout, maxOutputChars,
        ShellConfig.DEFAULT);
  }

  /** Every setting at its default, with the given workspace. */
  public static RuntimeConfig defaults(Path workDir) {
    return new RuntimeConfig(workDir.toAbsolutePath().normalize(), DEFAULT_MAX_STEPS, false,
        DEFAULT_ALLOWED_IMPORTS, DEFAULT_EXEC_TIMEOUT, DEFAULT_MAX_OUTPUT_CHARS);
  }

  /** A copy with another step limit. */
  public RuntimeConfig withMaxSteps(int steps) {
    return new RuntimeConfig(workDir, steps, unsafeMode, allowedImports, execTimeout,
        maxOutputChars, shell);
  }

  /** A copy with other {@code runtime.shell} settings. */
  public RuntimeConfig withShell(ShellConfig settings) {
    return new RuntimeConfig(workDir, maxSteps, unsafeMode, allowedImports, execTimeout,
        maxOutputChars, settings);
  }
}
