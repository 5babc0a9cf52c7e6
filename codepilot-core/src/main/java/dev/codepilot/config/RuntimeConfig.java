package dev.codepilot.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The agent file's {@code runtime:} section.
 *
 * @param workDir the workspace, absolute; file tools are confined to it
 * @param maxSteps hard cap on steps per {@code run}, default 20
 * @param unsafeMode when true, file tools may reach outside {@code workDir}
 * @param allowedImports modules a control block may import
 * @param execTimeout how long one control block may run (time inside tools not counted), default 30
 *     s
 * @param maxOutputChars limit on any text fed back to the model, default 20000
 * @param shell how {@code run_command} starts commands ({@code runtime.shell})
 * @param context what of the history each model request carries ({@code runtime.context})
 */
public record RuntimeConfig(
    Path workDir,
    int maxSteps,
    boolean unsafeMode,
    List<String> allowedImports,
    Duration execTimeout,
    int maxOutputChars,
    ShellConfig shell,
    ContextConfig context) {

  public static final int DEFAULT_MAX_STEPS = 20;
  public static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_OUTPUT_CHARS = 20_000;
  public static final List<String> DEFAULT_ALLOWED_IMPORTS =
      List.of(
          "re",
          "json",
          "math",
          "datetime",
          "random",
          "itertools",
          "collections",
          "typing",
          "pathlib");

  /**
   * Modules no agent may allow, whatever its file says, because the sandbox cannot be kept around
   * them: they hand out the interpreter itself (its modules, frames, code objects and loaders),
   * reach the host, or turn strings into code at run time. Private modules (a name part starting
   * with {@code _}) are never importable either.
   */
  public static final Set<String> NEVER_IMPORTABLE =
      Set.of(
          // the interpreter itself: modules, frames, code objects, loaders, memory
          "sys",
          "builtins",
          "importlib",
          "inspect",
          "gc",
          "types",
          "code",
          "codeop",
          "runpy",
          "marshal",
          "pickle",
          "copyreg",
          "dis",
          "traceback",
          "site",
          "sysconfig",
          "pkgutil",
          "zipimport",
          "tracemalloc",
          "faulthandler",
          "atexit",
          "ctypes",
          // the host: files, processes, signals, threads, sockets, users, limits, other languages
          "os",
          "posix",
          "pwd",
          "grp",
          "io",
          "subprocess",
          "signal",
          "threading",
          "multiprocessing",
          "concurrent",
          "socket",
          "select",
          "selectors",
          "asyncio",
          "resource",
          "mmap",
          "fcntl",
          "shutil",
          "tempfile",
          "glob",
          "linecache",
          "polyglot",
          "java",
          // code generated from strings at run time, which the policy refuses anyway
          "dataclasses");

  /**
   * Checks the components; {@code allowedImports} is copied.
   *
   * @throws IllegalArgumentException when {@code maxSteps} is below 1, {@code maxOutputChars} below
   *     100, {@code execTimeout} is not positive, or a module may not be allowed (see {@link
   *     #importRefusal})
   */
  public RuntimeConfig {
    Objects.requireNonNull(workDir, "workDir");
    allowedImports = List.copyOf(allowedImports);
    for (String module : allowedImports) {
      importRefusal(module)
          .ifPresent(
              reason -> {
                throw new IllegalArgumentException("allowedImports: " + reason);
              });
    }
    Objects.requireNonNull(execTimeout, "execTimeout");
    Objects.requireNonNull(shell, "shell");
    Objects.requireNonNull(context, "context");
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

  /**
   * Why {@code module} may not be allowed in {@code allowed_imports}, or empty when it may.
   *
   * @param module a dotted module name such as {@code json} or {@code os.path}
   */
  public static Optional<String> importRefusal(String module) {
    String[] parts = module.split("\\.");
    for (String part : parts) {
      if (part.startsWith("_")) {
        return Optional.of(
            "'" + module + "' is a private module; only public modules can be" + " allowed");
      }
    }
    if (NEVER_IMPORTABLE.contains(parts[0])) {
      return Optional.of(
          "'"
              + module
              + "' cannot be allowed: the sandbox cannot be kept around"
              + " it (it hands out the interpreter, reaches the host, or makes code from strings;"
              + " see docs/SECURITY.md)");
    }
    return Optional.empty();
  }

  /** The settings with {@code runtime.context} at its defaults. */
  public RuntimeConfig(
      Path workDir,
      int maxSteps,
      boolean unsafeMode,
      List<String> allowedImports,
      Duration execTimeout,
      int maxOutputChars,
      ShellConfig shell) {
    this(
        workDir,
        maxSteps,
        unsafeMode,
        allowedImports,
        execTimeout,
        maxOutputChars,
        shell,
        ContextConfig.DEFAULT);
  }

  /** The settings with {@code runtime.shell} and {@code runtime.context} at their defaults. */
  public RuntimeConfig(
      Path workDir,
      int maxSteps,
      boolean unsafeMode,
      List<String> allowedImports,
      Duration execTimeout,
      int maxOutputChars) {
    this(
        workDir,
        maxSteps,
        unsafeMode,
        allowedImports,
        execTimeout,
        maxOutputChars,
        ShellConfig.DEFAULT);
  }

  /** Every setting at its default, with the given workspace. */
  public static RuntimeConfig defaults(Path workDir) {
    return new RuntimeConfig(
        workDir.toAbsolutePath().normalize(),
        DEFAULT_MAX_STEPS,
        false,
        DEFAULT_ALLOWED_IMPORTS,
        DEFAULT_EXEC_TIMEOUT,
        DEFAULT_MAX_OUTPUT_CHARS);
  }

  /** A copy with another step limit. */
  public RuntimeConfig withMaxSteps(int steps) {
    return new RuntimeConfig(
        workDir, steps, unsafeMode, allowedImports, execTimeout, maxOutputChars, shell, context);
  }

  /** A copy with another workspace (made absolute), for running the agent elsewhere. */
  public RuntimeConfig withWorkDir(Path dir) {
    return new RuntimeConfig(
        Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize(),
        maxSteps,
        unsafeMode,
        allowedImports,
        execTimeout,
        maxOutputChars,
        shell,
        context);
  }

  /** A copy with other {@code runtime.shell} settings. */
  public RuntimeConfig withShell(ShellConfig settings) {
    return new RuntimeConfig(
        workDir,
        maxSteps,
        unsafeMode,
        allowedImports,
        execTimeout,
        maxOutputChars,
        settings,
        context);
  }

  /** A copy with other {@code runtime.context} settings. */
  public RuntimeConfig withContext(ContextConfig settings) {
    return new RuntimeConfig(
        workDir,
        maxSteps,
        unsafeMode,
        allowedImports,
        execTimeout,
        maxOutputChars,
        shell,
        settings);
  }
}
