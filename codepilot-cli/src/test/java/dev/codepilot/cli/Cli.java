package dev.codepilot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code codepilot} command in a child JVM, as a user would. */
final class Cli {

  private static final Duration TIMEOUT = Duration.ofSeconds(240);

  record Result(int exitCode, String stdout, String stderr) {
    List<String> stdoutLines() {
      return stdout.lines().toList();
    }
  }

  /** A command still running, with its output going to files that can be read meanwhile. */
  static final class Running implements AutoCloseable {
    final Process process;
    private final Path out;
    private final Path err;

    private Running(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    String stdout() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Sends SIGINT, as Ctrl-C does. */
    void interrupt() throws IOException, InterruptedException {
      new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
          .inheritIO()
          .start()
          .waitFor();
    }

    /** Waits for the end and returns the whole output. */
    Result await(Duration limit) throws IOException, InterruptedException {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            "codepilot did not finish within "
                + limit.toSeconds()
                + " s; stdout:\n"
                + stdout()
                + "\nstderr:\n"
                + stderr());
      }
      return new Result(process.exitValue(), stdout(), stderr());
    }

    @Override
    public void close() throws IOException, InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor();
      }
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private Cli() {}

  /** The repository's root folder (tests run in the module folder). */
  static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("examples")) ? here : here.getParent();
  }

  static Result run(Path workingDir, String... args) throws IOException, InterruptedException {
    return run(workingDir, Map.of(), args);
  }

  static Result run(Path workingDir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return runWithInput(workingDir, env, null, args);
  }

  /** Runs the command with {@code input} (null for none) as its standard input. */
  static Result runWithInput(Path workingDir, Map<String, String> env, String input, String... args)
      throws IOException, InterruptedException {
    try (Running running = start(workingDir, env, input, args)) {
      return running.await(TIMEOUT);
    }
  }

  /** Starts the command; standard input is {@code input}, or empty when null. */
  static Running start(Path workingDir, Map<String, String> env, String input, String... args)
      throws IOException {
    return startCommand(workingDir, env, input, command(workingDir, args));
  }

  /** Starts {@code command} as {@link #start} starts the CLI. */
  static Running startCommand(
      Path workingDir, Map<String, String> env, String input, List<String> command)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
    builder.environment().putAll(env);
    builder.environment().put("HOME", workingDir.resolve("home").toString());
    Path out = Files.createTempFile("cli-out", ".txt");
    Path err = Files.createTempFile("cli-err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    if (input == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    } else {
      Path in = Files.createTempFile("cli-in", ".txt");
      Files.writeString(in, input, StandardCharsets.UTF_8);
      in.toFile().deleteOnExit();
      builder.redirectInput(in.toFile());
    }
    return new Running(builder.start(), out, err);
  }

  /**
   * Runs the command at a terminal, a pseudo-terminal made by script(1), and types {@code answer}
   * once {@code prompt} appears on it. Returns everything the terminal showed.
   */
  static String runInTerminal(Path workingDir, String prompt, String answer, String... args)
      throws Exception {
    try (AtTerminal terminal = AtTerminal.start(workingDir, Map.of(), command(workingDir, args))) {
      terminal.await(prompt);
      terminal.type(answer);
      return terminal.finish().stdout();
    }
  }

  /**
   * A command at a terminal of 120 × 40, a pseudo-terminal made by script(1), typed into by the
   * test. The terminal's settings are recorded before and after the command.
   */
  static final class AtTerminal implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path settings;

    private AtTerminal(Process process, Path out, Path settings) {
      this.process = process;
      this.out = out;
      this.settings = settings;
    }

    static AtTerminal start(Path workingDir, Map<String, String> env, List<String> command)
        throws IOException {
      Path settings = Files.createTempDirectory("cli-tty-settings");
      // A terminal of a usual size: a new pseudo-terminal has none, and line editing needs one.
      StringBuilder shell =
          new StringBuilder("stty cols 120 rows 40; stty -g > '")
              .append(settings.resolve("before"))
              .append("'; ");
      shell
          .append(shellWords(command))
          .append("; code=$?; stty -g > '")
          .append(settings.resolve("after"))
          .append("'; exit $code");
      Path out = Files.createTempFile("cli-tty", ".txt");
      ProcessBuilder builder =
          new ProcessBuilder("script", "-qfec", shell.toString(), "/dev/null")
              .directory(workingDir.toFile())
              .redirectOutput(out.toFile())
              .redirectErrorStream(true);
      builder.environment().put("HOME", workingDir.resolve("home").toString());
      builder.environment().put("TERM", "xterm-256color");
      builder.environment().put("NO_COLOR", "1");
      builder.environment().putAll(env);
      return new AtTerminal(builder.start(), out, settings);
    }

    /** Everything the terminal showed so far. */
    String shown() throws IOException {
      return Cli.shown(out);
    }

    /** Waits until the terminal shows {@code text} (or the command ended). */
    void await(String text) throws Exception {
      awaitTrue(
          TIMEOUT, "'" + text + "' on the terminal", () -> shown().contains(text) || !alive());
    }

    boolean alive() {
      return process.isAlive();
    }

    /** Types {@code keys} at the terminal. */
    void type(String keys) throws IOException {
      process.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }

    /** Waits for the end: the command's exit code and what the terminal showed. */
    Result finish() throws Exception {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "codepilot did not finish at the terminal; it showed:\n" + shown());
      }
      return new Result(process.exitValue(), shown(), "");
    }

    /** Whether the command left the terminal's settings as it found them. */
    boolean settingsRestored() throws IOException {
      return Files.readString(settings.resolve("before"))
          .equals(Files.readString(settings.resolve("after")));
    }

    @Override
    public void close() throws Exception {
      process.destroyForcibly().waitFor();
      Files.deleteIfExists(out);
      try (var files = Files.list(settings)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(settings);
    }
  }

  /** {@code words} quoted for sh, each in single quotes, separated by spaces. */
  static String shellWords(List<String> words) {
    StringBuilder quoted = new StringBuilder();
    for (String word : words) {
      quoted.append(quoted.isEmpty() ? "'" : " '").append(word.replace("'", "'\\''")).append('\'');
    }
    return quoted.toString();
  }

  /** What an agent file adds so that run_command asks before each command. */
  static final String RUN_COMMAND_ASKS =
      """
        tools:
          - name: run_command
            config:
              require_permission: true
      """;

  /**
   * Writes {@code file}, an agent named Tester whose model replays {@code replies} (from a cassette
   * beside it, named as the file with .json) and whose work folder is {@code workDir}, followed by
   * {@code extra} lines of the agent file. Returns {@code file}.
   */
  static Path replayAgent(Path file, String workDir, List<String> replies, String extra)
      throws IOException {
    String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
    Files.writeString(
        file.resolveSibling(name + ".json"),
        new ObjectMapper().writeValueAsString(Map.of("responses", replies)));
    Files.writeString(
        file,
        """
        agent:
          name: "Tester"
          model:
            provider: "replay"
            cassette: "./%s.json"
          runtime:
            work_dir: "%s"
        """
                .formatted(name, workDir)
            + extra);
    return file;
  }

  /** The bytes as UTF-8, a malformed sequence as U+FFFD rather than an exception. */
  private static String shown(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  /**
   * The java command line that runs the CLI from the test class path, its home folder (and so
   * ~/.codepilot) inside {@code workingDir}.
   */
  static List<String> command(Path workingDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Dpolyglot.engine.WarnInterpreterOnly=false");
    if (Runtime.version().feature() >= 24) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.add("-Duser.home=" + workingDir.resolve("home"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** Copies an example folder (without its workspace) into {@code target}. */
  static Path copyExample(String name, Path target) throws IOException {
    Path source = repositoryRoot().resolve("examples").resolve(name);
    try (var paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Path relative = source.relativize(path);
        if (relative.startsWith("workspace") || relative.startsWith("node_modules")) {
          continue;
        }
        Path destination = target.resolve(relative.toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(path, destination);
        }
      }
    }
    return target;
  }

  /** Waits until {@code condition} holds, failing after {@code limit}. */
  static void awaitTrue(Duration limit, String what, Check condition) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }
}
