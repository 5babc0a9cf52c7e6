package dev.codepilot.tools;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ShellConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.exception.ConfinementException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The bubblewrap jail {@code run_command} runs commands in (foreground and background).
 *
 * <p>Inside it the root file system is read-only, {@code work_dir} is bound read-write at its own
 * path, {@code /tmp} is a private empty tmpfs, the user's home is an empty tmpfs (so nothing in the
 * real one can be read), and the command has its own user, PID (with its own {@code /proc}), IPC,
 * UTS and, unless {@code runtime.shell.network} is true, network namespace. It holds no
 * capabilities, cannot make further user namespaces, has no controlling terminal ({@code
 * --new-session}, against TIOCSTI), sees only the allow-listed environment and is killed with
 * everything it started when the runtime dies ({@code --die-with-parent}); when its first process
 * ends, the PID namespace ends with it. {@code prlimit} bounds processes, open files, file size and
 * CPU time ({@code runtime.shell.limits}); as root, where the kernel ignores the process limit, a
 * pids cgroup bounds processes instead.
 *
 * <p>Whether bubblewrap works is checked once per JVM by running a command in exactly this jail.
 * {@code CODEPILOT_BWRAP} names another bubblewrap binary.
 */
public final class CommandJail {

  /** Where to learn what to install. */
  static final String INSTALL_HINT =
      "install bubblewrap (apt-get install bubblewrap, dnf install"
          + " bubblewrap or pacman -S bubblewrap)";

  /** Names another bubblewrap binary, for packagers and tests. */
  static final String BWRAP_VARIABLE = "CODEPILOT_BWRAP";

  private static final String JAIL_HOME = "/tmp/home";

  /** prlimit (util-linux), found once by absolute path so that no PATH can hide it. */
  private static final Optional<String> PRLIMIT =
      Stream.of("/usr/bin/prlimit", "/bin/prlimit")
          .filter(p -> Files.isExecutable(Path.of(p)))
          .findFirst()
          .or(() -> onPath("prlimit").map(Path::toString));

  private static volatile Status status;
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final System.Logger LOG = System.getLogger(CommandJail.class.getName());

  private CommandJail() {}

  /**
   * Whether commands can be confined on this machine.
   *
   * @param available true when bubblewrap ran a command in the jail
   * @param detail one line: what confines commands and how processes are bounded, or why commands
   *     cannot be confined and what to install
   */
  public record Status(boolean available, String detail) {}

  /** The cached result of running bubblewrap once in this JVM. */
  public static Status status() {
    Status known = status;
    if (known == null) {
      synchronized (CommandJail.class) {
        known = status;
        if (known == null) {
          known = probe(locate(System.getenv()));
          status = known;
        }
      }
    }
    return known;
  }

  /**
   * Checks, when a runtime is built, that its commands can run as {@code runtime.shell.confine}
   * asks: with {@code always} where they cannot be confined this refuses; with {@code auto} it logs
   * one warning per JVM (logger {@code dev.codepilot.tools.CommandJail}, level {@code WARNING}; the
   * {@code codepilot} command shows it on standard error). Nothing happens when {@code run_command}
   * is disabled or {@code confine} is {@code never}.
   *
   * @throws ConfinementException when {@code confine} is {@code always} and bubblewrap does not
   *     work here
   */
  public static void check(AgentConfig config) {
    boolean shell = config.tool(RunCommandTool.NAME).map(ToolConfig::enabled).orElse(true);
    ShellConfig.Confine confine = config.runtime().shell().confine();
    if (!shell || confine == ShellConfig.Confine.NEVER) {
      return;
    }
    Status found = status();
    if (found.available()) {
      return;
    }
    if (confine == ShellConfig.Confine.ALWAYS) {
      throw new ConfinementException(refusal(found));
    }
    if (WARNED.compareAndSet(false, true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "run_command runs commands unconfined, with your"
              + " rights and access to your files: "
              + found.detail()
              + " (set runtime.shell.confine:"
              + " never to silence this)");
    }
  }

  /**
   * How to start a long-running program, such as a stdio MCP server.
   *
   * @param command the command line to start
   * @param environment its whole environment (set on the process; the jail sets it again)
   * @param confined whether the command line runs the program in the jail
   */
  public record Launch(List<String> command, Map<String, String> environment, boolean confined) {}

  /**
   * Starts {@code argv} the way {@code run_command} starts commands: with the allow-listed
   * environment plus {@code extraEnv}, and in the jail unless {@code shell.confine} is {@code
   * never} or (with {@code auto}) bubblewrap does not work here. The program starts in {@code dir};
   * confined, a {@code dir} outside {@code workDir} is readable but not writable.
   *
   * @throws IOException when {@code shell.confine} is {@code always} and commands cannot be
   *     confined here
   */
  public static Launch launch(
      List<String> argv, Path dir, Path workDir, ShellConfig shell, Map<String, String> extraEnv)
      throws IOException {
    Map<String, String> env = CommandEnvironment.build(System.getenv(), extraEnv);
    if (!confines(shell)) {
      return new Launch(List.copyOf(argv), env, false);
    }
    StringBuilder command =
        new StringBuilder("cd ").append(quote(dir.toString())).append(" && exec");
    argv.forEach(arg -> command.append(' ').append(quote(arg)));
    List<String> line =
        new ArrayList<>(commandLine(bwrap(), command.toString(), workDir, shell, env));
    Path start = dir.toAbsolutePath().normalize();
    if (!start.startsWith(workDir.toAbsolutePath().normalize())) {
      // The program's folder may lie where the jail hides things (under /tmp or the home):
      // it is shown read-only at its own path.
      line.addAll(
          line.indexOf("--chdir"), List.of("--ro-bind", start.toString(), start.toString()));
    }
    return new Launch(line, env, true);
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /** Whether a command with these settings runs in the jail; throws when it must but cannot. */
  static boolean confines(ShellConfig shell) throws IOException {
    if (shell.confine() == ShellConfig.Confine.NEVER) {
      return false;
    }
    Status found = status();
    if (!found.available() && shell.confine() == ShellConfig.Confine.ALWAYS) {
      throw new IOException(refusal(found));
    }
    return found.available();
  }

  private static String refusal(Status found) {
    return "runtime.shell.confine is 'always', but commands cannot be confined here: "
        + found.detail()
        + "; or set runtime.shell.confine to auto or never";
  }

  /**
   * The command line that runs {@code command} in the jail.
   *
   * @param env the command's whole environment; {@code HOME} is replaced by the empty home, at the
   *     path of the runtime's own home (or {@code /tmp/home} without one)
   */
  static List<String> commandLine(
      Path bwrap, String command, Path workDir, ShellConfig shell, Map<String, String> env) {
    Path work = workDir.toAbsolutePath().normalize();
    List<String> line =
        new ArrayList<>(
            List.of(
                bwrap.toString(),
                "--unshare-user",
                "--disable-userns",
                "--unshare-pid",
                "--unshare-ipc",
                "--unshare-uts",
                "--unshare-cgroup-try",
                "--cap-drop",
                "ALL",
                "--die-with-parent",
                "--new-session"));
    if (!shell.network()) {
      line.add("--unshare-net");
    }
    line.addAll(
        List.of("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
    Set<Path> homes = homes();
    for (Path home : homes) {
      if (!(home.startsWith(work) && !home.equals(work))) {
        line.addAll(List.of("--tmpfs", home.toString()));
      }
    }
    line.addAll(List.of("--bind", work.toString(), work.toString()));
    for (Path home : homes) {
      if (home.startsWith(work) && !home.equals(work)) {
        line.addAll(List.of("--tmpfs", home.toString()));
      }
    }
    Optional<Path> home = homes.stream().findFirst();
    if (home.isEmpty()) {
      line.addAll(List.of("--dir", JAIL_HOME));
    }
    line.addAll(List.of("--chdir", work.toString(), "--clearenv"));
    env.forEach(
        (name, value) -> {
          if (!name.equals("HOME")) {
            line.addAll(List.of("--setenv", name, value));
          }
        });
    line.addAll(List.of("--setenv", "HOME", home.map(Path::toString).orElse(JAIL_HOME)));
    ShellConfig.Limits limits = shell.limits();
    line.addAll(
        List.of(
            "--",
            PRLIMIT.orElse("prlimit"),
            "--nproc=" + limits.processes(),
            "--nofile=" + limits.openFiles(),
            "--fsize=" + limits.fileSizeBytes()));
    limits.cpuSeconds().ifPresent(seconds -> line.add("--cpu=" + seconds));
    line.addAll(List.of("--", "/bin/sh", "-c", command));
    return line;
  }

  /**
   * The homes to hide: the runtime's {@code HOME} and the account's home ({@code user.home}), when
   * they are folders other than {@code /}. The first one is the command's {@code HOME}.
   */
  private static Set<Path> homes() {
    Set<Path> homes = new LinkedHashSet<>();
    usableHome(System.getenv("HOME")).ifPresent(homes::add);
    usableHome(System.getProperty("user.home")).ifPresent(homes::add);
    return homes;
  }

  private static Optional<Path> usableHome(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      Path path = Path.of(value);
      if (!path.isAbsolute() || !Files.isDirectory(path)) {
        return Optional.empty();
      }
      Path real = path.toRealPath();
      return real.getParent() == null ? Optional.empty() : Optional.of(real);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The bubblewrap binary: {@code CODEPILOT_BWRAP}, else {@code bwrap} on the PATH. */
  static Optional<Path> locate(Map<String, String> env) {
    String named = env.get(BWRAP_VARIABLE);
    if (named != null && !named.isBlank()) {
      return Optional.of(Path.of(named));
    }
    return onPath(env.getOrDefault("PATH", CommandEnvironment.DEFAULT_PATH), "bwrap");
  }

  private static Optional<Path> onPath(String program) {
    return onPath(
        Optional.ofNullable(System.getenv("PATH")).orElse(CommandEnvironment.DEFAULT_PATH),
        program);
  }

  private static Optional<Path> onPath(String path, String program) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The bubblewrap binary to run, once {@link #status()} has found that it works. */
  static Path bwrap() {
    return locate(System.getenv()).orElseThrow();
  }

  /** Runs {@code true} in the jail, in a fresh temporary work folder. */
  static Status probe(Optional<Path> bwrap) {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
      return new Status(false, "bubblewrap confines commands on Linux only, and this is " + os);
    }
    if (bwrap.isEmpty()) {
      return new Status(false, "bubblewrap (bwrap) is not installed; " + INSTALL_HINT);
    }
    if (!Files.isRegularFile(bwrap.get()) || !Files.isExecutable(bwrap.get())) {
      return new Status(
          false,
          BWRAP_VARIABLE
              + " names "
              + bwrap.get()
              + ", which is not an"
              + " executable file; "
              + INSTALL_HINT
              + " or fix "
              + BWRAP_VARIABLE);
    }
    if (PRLIMIT.isEmpty()) {
      return new Status(
          false,
          "prlimit is not installed, and the jail sets its limits with it;"
              + " install util-linux (apt-get install util-linux)");
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("codepilot-jail-check");
      Map<String, String> env = CommandEnvironment.build(System.getenv(), Map.of());
      List<String> line =
          commandLine(bwrap.get(), "test -w . && ! test -w /usr", dir, ShellConfig.DEFAULT, env);
      Optional<String> failure = run(line, dir);
      if (failure.isPresent()) {
        return new Status(
            false,
            "bubblewrap ("
                + bwrap.get()
                + ") cannot confine commands here: "
                + failure.get()
                + "; check that unprivileged user namespaces are enabled"
                + " (sysctl kernel.unprivileged_userns_clone=1, and on Ubuntu"
                + " kernel.apparmor_restrict_unprivileged_userns=0), that prlimit (util-linux) is"
                + " installed, or "
                + INSTALL_HINT);
      }
      return new Status(
          true, "bubblewrap (" + bwrap.get() + ") confines commands; " + processBound());
    } catch (IOException e) {
      return new Status(
          false,
          "bubblewrap ("
              + bwrap.get()
              + ") could not be run: "
              + e.getMessage()
              + "; "
              + INSTALL_HINT);
    } finally {
      if (dir != null) {
        try {
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          // A temporary folder left behind is harmless.
        }
      }
    }
  }

  /** How the number of processes is bounded, for the status line. */
  private static String processBound() {
    if (!runsAsRoot()) {
      return "processes are bounded by RLIMIT_NPROC";
    }
    Optional<PidsCgroup> cgroup = PidsCgroup.create(ShellConfig.Limits.DEFAULT_PROCESSES);
    cgroup.ifPresent(PidsCgroup::remove);
    return cgroup.isPresent()
        ? "running as root, processes are bounded by a pids cgroup"
        : "running as root with no writable pids cgroup, so the number of processes is not"
            + " bounded (the kernel ignores RLIMIT_NPROC for root)";
  }

  /** Whether this process's real user is root, to whom {@code RLIMIT_NPROC} does not apply. */
  static boolean runsAsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).strip().split("\\s+")[0].equals("0");
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  /** Runs a probe command; empty when it succeeded, else the first line it printed. */
  private static Optional<String> run(List<String> line, Path dir) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(CommandEnvironment.build(System.getenv(), Map.of()));
    Process process = builder.start();
    process.getOutputStream().close();
    OutputBuffer output = new OutputBuffer(4096, 0);
    Thread reader = Thread.ofVirtual().start(() -> output.drain(process.getInputStream()));
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        Shell.endTree(process.toHandle(), Duration.ZERO);
        return Optional.of("a test command did not finish within 20 s");
      }
      reader.join(2000);
      if (process.exitValue() == 0) {
        return Optional.empty();
      }
      String first =
          output
              .text(400)
              .lines()
              .filter(l -> !l.isBlank())
              .findFirst()
              .orElse("exit code " + process.exitValue())
              .strip();
      return Optional.of(first.length() > 300 ? first.substring(0, 300) + "..." : first);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return Optional.of("interrupted while checking");
    }
  }
}
