package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.codepilot.daemon.DaemonControl;
import dev.codepilot.daemon.DaemonFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin client and the daemon, as real processes: a command through the daemon prints and exits
 * exactly as it does in-process, and the daemon is found, refused, replaced and started as it
 * should be.
 */
class DaemonTest {

  private static final String TASK = "Write a greeting script and run it";
  private static final Duration START_UP = Duration.ofSeconds(180);

  @TempDir Path dir;

  private Daemons daemons;

  @BeforeEach
  void folder() {
    daemons = new Daemons(dir, dir.resolve("d"));
  }

  @AfterEach
  void stopDaemons() throws Exception {
    daemons.close();
  }

  @Test
  void runPrintsAndExitsTheSameThroughTheDaemonAsInProcess() throws Exception {
    String agent = hello();
    for (String[] args :
        List.of(new String[] {"run", agent, TASK}, new String[] {"run", agent, TASK, "--json"})) {
      Cli.Result direct = fresh(() -> Cli.run(dir, args));
      Cli.Result starting = fresh(() -> daemons.run(args));
      Cli.Result warm = fresh(() -> daemons.run(args));

      assertThat(direct.exitCode()).as(direct.stderr()).isZero();
      assertThat(direct.stdout()).contains("Created hello.sh");
      for (Cli.Result viaDaemon : List.of(starting, warm)) {
        assertThat(viaDaemon.exitCode()).isEqualTo(direct.exitCode());
        assertThat(normal(viaDaemon.stdout())).isEqualTo(normal(direct.stdout()));
        assertThat(normal(viaDaemon.stderr())).isEqualTo(normal(direct.stderr()));
      }
    }
    // One daemon served all four: it was started once and then found.
    assertThat(daemons.statuses()).hasSize(1);
    Path daemon = daemons.statuses().get(0).folder();
    assertThat(daemons.log(daemon).lines().filter(line -> line.contains("command 'run' exit 0")))
        .hasSize(4);
  }

  @Test
  void aBadAgentFileFailsTheSameWayThroughTheDaemon() throws Exception {
    Path agent = dir.resolve("bad.yaml");
    Files.writeString(
        agent,
        "agent:\n  name: \"Broken\"\n  model:\n    provider: \"replay\"\n"
            + "  runtime:\n    max_steps: 3\n");
    Cli.Result direct = Cli.run(dir, "run", agent.toString(), "go");
    Cli.Result viaDaemon = daemons.run("run", agent.toString(), "go");

    assertThat(direct.exitCode()).isEqualTo(2);
    assertThat(direct.stderr()).contains("bad.yaml:3: agent.model.cassette: is required");
    assertThat(viaDaemon.exitCode()).isEqualTo(2);
    assertThat(viaDaemon.stdout()).isEqualTo(direct.stdout());
    assertThat(viaDaemon.stderr()).isEqualTo(direct.stderr());
    assertThat(daemons.statuses()).hasSize(1);
  }

  @Test
  void quickCommandsUseARunningDaemonButNeverStartOne() throws Exception {
    Cli.Result help = daemons.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout()).isEqualTo(Cli.run(dir, "--help").stdout());
    assertThat(Files.exists(daemons.folder())).isTrue();
    assertThat(daemons.daemonFolders()).as("no daemon for --help").isEmpty();

    String agent = hello();
    assertThat(fresh(() -> daemons.run("run", agent, TASK)).exitCode()).isZero();
    Cli.Result version = daemons.run("--version");
    Cli.Result direct = Cli.run(dir, "--version");

    assertThat(version.exitCode()).isZero();
    assertThat(version.stdout()).isEqualTo(direct.stdout()).startsWith("codepilot ");
    Cli.Result helpViaDaemon = daemons.run("--help");
    assertThat(helpViaDaemon.stdout()).isEqualTo(help.stdout());
    assertThat(daemons.log(daemons.statuses().get(0).folder()))
        .contains("command '--version' exit 0")
        .contains("command '--help' exit 0");
  }

  @Test
  void chatReadsTheClientsStandardInput() throws Exception {
    String agent = hello();
    String input = TASK + "\nquit\n";
    Cli.Result direct = fresh(() -> Cli.runWithInput(dir, Map.of(), input, "chat", agent));
    Cli.Result viaDaemon = fresh(() -> daemons.runWithInput(input, "chat", agent));

    assertThat(direct.exitCode()).as(direct.stderr()).isZero();
    assertThat(direct.stdout()).contains("Created hello.sh").contains("Goodbye.");
    assertThat(viaDaemon.exitCode()).isZero();
    assertThat(normal(viaDaemon.stdout())).isEqualTo(normal(direct.stdout()));
    assertThat(normal(viaDaemon.stderr())).isEqualTo(normal(direct.stderr()));
  }

  @Test
  void twoCommandsAtOnceRunOnTwoDaemons() throws Exception {
    Path agent = replayAgent(List.of("```python\nrun_command('sleep 3')\ndone('slept')\n```"));
    try (Cli.Running first = daemons.start(null, "run", agent.toString(), "sleep");
        Cli.Running second = daemons.start(null, "run", agent.toString(), "sleep")) {
      Cli.Result one = first.await(START_UP);
      Cli.Result two = second.await(START_UP);

      assertThat(one.exitCode()).as(one.stderr()).isZero();
      assertThat(two.exitCode()).as(two.stderr()).isZero();
      assertThat(one.stdout()).contains("Done: slept");
      assertThat(two.stdout()).contains("Done: slept");
    }
    assertThat(daemons.statuses()).hasSize(2);
  }

  @Test
  void aKilledDaemonIsReplacedAndTheCommandStillRuns() throws Exception {
    String agent = hello();
    assertThat(fresh(() -> daemons.run("run", agent, TASK)).exitCode()).isZero();
    List<DaemonControl.Status> before = daemons.statuses();
    assertThat(before).hasSize(1);
    ProcessHandle daemon =
        ProcessHandle.of(Long.parseLong(before.get(0).fields().get("pid"))).orElseThrow();
    daemon.destroyForcibly();
    daemon.onExit().get();
    assertThat(Files.exists(DaemonFolders.socket(before.get(0).folder())))
        .as("a killed daemon leaves its socket")
        .isTrue();

    Cli.Result after = fresh(() -> daemons.run("run", agent, TASK));

    assertThat(after.exitCode()).as(after.stderr()).isZero();
    assertThat(after.stdout()).contains("Created hello.sh");
    assertThat(daemons.statuses())
        .hasSize(1)
        .allSatisfy(
            status ->
                assertThat(status.fields().get("pid")).isNotEqualTo(String.valueOf(daemon.pid())));
  }

  @Test
  void aDaemonOfAnotherBuildIsNeverUsed() throws Exception {
    Path marker = dir.resolve("build-marker.jar");
    Files.writeString(marker, "one");
    daemons.withClassPathEntry(marker);
    String agent = hello();
    assertThat(fresh(() -> daemons.run("run", agent, TASK)).exitCode()).isZero();
    Path old = daemons.statuses().get(0).folder();

    // A new build: a jar on the class path changed.
    Files.writeString(marker, "two, longer");
    Cli.Result next = fresh(() -> daemons.run("run", agent, TASK));

    assertThat(next.exitCode()).as(next.stderr()).isZero();
    assertThat(daemons.statuses()).hasSize(2);
    assertThat(daemons.log(old).lines().filter(line -> line.contains("command 'run'")))
        .as("the old build's daemon ran only its own command")
        .hasSize(1);
  }

  @Test
  void aFolderOthersCanWriteIsRefusedAndTheCommandRunsInProcess() throws Exception {
    Files.createDirectories(daemons.folder());
    Files.setPosixFilePermissions(daemons.folder(), PosixFilePermissions.fromString("rwxrwxrwx"));
    String agent = hello();

    Cli.Result result = fresh(() -> daemons.run("run", agent, TASK));

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("Created hello.sh");
    assertThat(result.stderr())
        .contains("not using the daemon: " + daemons.folder() + " has mode rwxrwxrwx")
        .contains("running in-process");
    assertThat(daemons.daemonFolders()).isEmpty();
  }

  @Test
  void aSymbolicLinkAsTheFolderIsRefused() throws Exception {
    Path real =
        Files.createDirectory(
            dir.resolve("real"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.createSymbolicLink(daemons.folder(), real);

    Cli.Result result = daemons.run("run", hello(), TASK);

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).contains("is a symbolic link");
    try (var entries = Files.list(real)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void aFolderOfAnotherUserIsRefused() throws Exception {
    assumeTrue(DaemonFolders.uid() == 0, "only root can give a folder to another user");
    Files.createDirectory(
        daemons.folder(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setAttribute(daemons.folder(), "unix:uid", 65534);

    Cli.Result result = daemons.run("--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stderr()).contains("belongs to user id 65534, not to you");
  }

  @Test
  void ctrlCStopsTheRunAfterItsStepAsInProcess() throws Exception {
    Path agent =
        replayAgent(
            List.of(
                "```python\nrun_command('sleep 3')\nprint('step one ended')\n```",
                "```python\ndone('should not be reached')\n```"));
    try (Cli.Running running = daemons.start(null, "run", agent.toString(), "go", "--json")) {
      Cli.awaitTrue(
          START_UP, "the command to start", () -> running.stdout().contains("\"tool_call\""));
      running.interrupt();
      Cli.Result result = running.await(Duration.ofSeconds(60));

      // What RunInterruptTest pins for the command run in-process.
      assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
      assertThat(result.stderr()).contains("Stopping after this step");
      assertThat(result.stdout())
          .contains("Return Code: 0")
          .doesNotContain("\"finish\"")
          .doesNotContain("\"step\":2");
    }
    // The daemon lives on for the next command.
    assertThat(daemons.statuses()).hasSize(1);
  }

  @Test
  void aSecondCtrlCQuitsAndTheDaemonEndsWithTheAgentsCommands() throws Exception {
    Path agent = replayAgent(List.of("```python\nrun_command('sleep 45')\n```"));
    try (Cli.Running running = daemons.start(null, "run", agent.toString(), "go", "--json")) {
      Cli.awaitTrue(
          START_UP, "the command to start", () -> running.stdout().contains("\"tool_call\""));
      long pid = Long.parseLong(daemons.statuses().get(0).fields().get("pid"));
      ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
      Cli.awaitTrue(
          Duration.ofSeconds(30),
          "the shell to start",
          () -> daemon.descendants().findAny().isPresent());
      List<ProcessHandle> children = daemon.descendants().toList();
      running.interrupt();
      Thread.sleep(300);
      running.interrupt();
      Cli.Result result = running.await(Duration.ofSeconds(30));

      assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
      assertThat(result.stderr()).contains("Quit");
      Cli.awaitTrue(
          Duration.ofSeconds(10),
          "the agent's command and the daemon to end",
          () -> children.stream().noneMatch(ProcessHandle::isAlive) && !daemon.isAlive());
    }
  }

  @Test
  void aFinishedCommandLeavesNoProcessBehindInTheDaemon() throws Exception {
    Path agent =
        replayAgent(
            List.of(
                "```python\n"
                    + "run_command('sleep 60', background=True)\ndone('left it running')\n```"));
    Cli.Result result = daemons.run("run", agent.toString(), "go");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    ProcessHandle daemon =
        ProcessHandle.of(Long.parseLong(daemons.statuses().get(0).fields().get("pid")))
            .orElseThrow();
    Cli.awaitTrue(
        Duration.ofSeconds(15),
        "the background command to end",
        () -> daemon.descendants().findAny().isEmpty());
  }

  @Test
  void statusAndStopListAndEndTheDaemons() throws Exception {
    assertThat(daemons.run("daemon", "status").stdout()).contains("No daemon is running");
    assertThat(fresh(() -> daemons.run("run", hello(), TASK)).exitCode()).isZero();
    long pid = Long.parseLong(daemons.statuses().get(0).fields().get("pid"));

    Cli.Result status = daemons.run("daemon", "status");
    assertThat(status.exitCode()).isZero();
    assertThat(status.stdout())
        .contains(String.valueOf(pid))
        .contains("idle")
        .contains(dir.toString())
        .contains("daemon.log");

    Cli.Result stop = daemons.run("daemon", "stop");
    assertThat(stop.stdout()).contains("stopped");
    ProcessHandle.of(pid).ifPresent(process -> process.onExit().join());
    assertThat(daemons.statuses()).isEmpty();
  }

  @Test
  void anIdleDaemonEndsAfterItsLimit() throws Exception {
    Map<String, String> env = daemons.env();
    env.put("CODEPILOT_DAEMON_IDLE", "2s");
    Path agent = replayAgent(List.of("```python\ndone('quick')\n```"));
    List<String> command = new java.util.ArrayList<>(List.of("run", agent.toString(), "go"));
    Cli.Result result = Cli.startCommand(dir, env, null, daemonsCommand(command)).await(START_UP);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    Cli.awaitTrue(
        Duration.ofSeconds(30),
        "the idle daemon to end",
        () -> DaemonControl.statuses(daemons.folder()).isEmpty());
    assertThat(daemons.log(daemons.daemonFolders().get(0))).contains("idle for PT2S; ending");
  }

  private List<String> daemonsCommand(List<String> args) {
    return daemons.command(args.toArray(String[]::new));
  }

  /** The hello example, copied; its agent file's path. */
  private String hello() throws Exception {
    Path copy = dir.resolve("hello");
    if (!Files.exists(copy)) {
      Cli.copyExample("hello", copy);
    }
    return copy.resolve("agent.yaml").toString();
  }

  /** Runs {@code command} with the hello agent's workspace removed first. */
  private Cli.Result fresh(Command command) throws Exception {
    Path workspace = dir.resolve("hello").resolve("workspace");
    if (Files.exists(workspace)) {
      try (var paths = Files.walk(workspace)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    return command.run();
  }

  @FunctionalInterface
  private interface Command {
    Cli.Result run() throws Exception;
  }

  /** Output with its durations, which differ from run to run, made equal. */
  private static String normal(String output) {
    return output.replaceAll("\\d+(\\.\\d+)? s\\b", "N s");
  }

  private Path replayAgent(List<String> replies) throws Exception {
    return Cli.replayAgent(dir.resolve("agent.yaml"), "./ws", replies, "");
  }
}
