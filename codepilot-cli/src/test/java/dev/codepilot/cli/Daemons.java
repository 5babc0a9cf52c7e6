package dev.codepilot.cli;

import dev.codepilot.daemon.DaemonControl;
import dev.codepilot.daemon.DaemonFolders;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs commands through the real thin client and real daemons, in a daemon folder of the test's own
 * (never the user's), and stops every daemon it started.
 */
final class Daemons implements AutoCloseable {

  private final Path workingDir;
  private final Path folder;
  private final List<String> extraClassPath = new ArrayList<>();

  Daemons(Path workingDir, Path folder) {
    this.workingDir = workingDir;
    this.folder = folder;
  }

  Path folder() {
    return folder;
  }

  /** Puts {@code entry} on the CLI's class path too: a jar whose change is a new build. */
  Daemons withClassPathEntry(Path entry) {
    extraClassPath.add(entry.toString());
    return this;
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("CODEPILOT_DAEMON_DIR", folder.toString());
    // A daemon a failed test leaves behind ends on its own.
    env.put("CODEPILOT_DAEMON_IDLE", "120s");
    return env;
  }

  Cli.Result run(String... args) throws Exception {
    return runWithInput(null, args);
  }

  Cli.Result runWithInput(String input, String... args) throws Exception {
    try (Cli.Running running = start(input, args)) {
      return running.await(Duration.ofSeconds(240));
    }
  }

  /** Starts the client; standard input is {@code input}, or /dev/null when null. */
  Cli.Running start(String input, String... args) throws IOException {
    return Cli.startCommand(workingDir, env(), input, command(args));
  }

  /** The status lines of the daemons in the folder. */
  List<DaemonControl.Status> statuses() throws IOException {
    return DaemonControl.statuses(folder);
  }

  /** The daemons' folders (live or dead). */
  List<Path> daemonFolders() throws IOException {
    try (var entries = Files.list(folder)) {
      return entries.filter(Files::isDirectory).sorted().toList();
    }
  }

  String log(Path daemonFolder) throws IOException {
    return Files.readString(DaemonFolders.log(daemonFolder));
  }

  /**
   * The command that runs the client with the test's class path, starting daemons whose JVM is the
   * one {@link Cli#command} runs in-process.
   */
  List<String> command(String... args) {
    return commandWithTtys("000", args);
  }

  /** {@link #command} for a client at a terminal (standard input, output and error). */
  List<String> terminalCommand(String... args) {
    return commandWithTtys("111", args);
  }

  /** {@link #command} for a client whose standard input, output and error are as {@code ttys}. */
  List<String> commandWithTtys(String ttys, String... args) {
    List<String> cli = Cli.command(workingDir);
    // Cli.command ends with: -cp CLASSPATH MAIN_CLASS.
    List<String> java = new ArrayList<>(cli.subList(0, cli.size() - 1));
    if (!extraClassPath.isEmpty()) {
      int cp = java.indexOf("-cp") + 1;
      java.set(
          cp, java.get(cp) + File.pathSeparator + String.join(File.pathSeparator, extraClassPath));
    }
    List<String> command = new ArrayList<>();
    command.add(java.get(0));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.codepilot.daemon.DaemonClient");
    command.add("--ttys");
    for (char tty : ttys.toCharArray()) {
      command.add(String.valueOf(tty));
    }
    for (String word : java) {
      command.add("--java");
      command.add(word);
    }
    command.add("--");
    command.addAll(List.of(args));
    return command;
  }

  @Override
  public void close() throws Exception {
    if (!Files.isDirectory(folder)) {
      return;
    }
    List<Long> pids = new ArrayList<>();
    for (DaemonControl.Status status : statuses()) {
      pids.add(Long.parseLong(status.fields().get("pid")));
    }
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    DaemonControl.run(List.of("stop"), env(), sink, sink);
    for (long pid : pids) {
      ProcessHandle.of(pid)
          .ifPresent(
              process -> {
                process
                    .onExit()
                    .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                    .exceptionally(
                        e -> {
                          process.destroyForcibly();
                          return process;
                        })
                    .join();
              });
    }
  }
}
