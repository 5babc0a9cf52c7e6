package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codepilot.config.ShellConfig;
import dev.codepilot.config.ShellConfig.Confine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * run_command under {@code confine: always}: hostile commands meet an ordinary error or limit
 * inside the jail and the agent goes on; useful ones work as they do outside it.
 */
@EnabledOnOs(OS.LINUX)
class CommandJailTest {

  private static final ShellConfig ALWAYS = ShellConfig.DEFAULT.withConfine(Confine.ALWAYS);

  @TempDir static Path workDir;

  private static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    Jail.assumeAvailable();
    agent = Agent.in(workDir, r -> r.withShell(ALWAYS));
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  // Hostile commands

  @Test
  void writesOutsideTheWorkspaceFailAsReadOnlyAndChangeNothing() throws Exception {
    Path outside =
        Files.createDirectories(
            Path.of("target", "jail-outside-" + UUID.randomUUID()).toAbsolutePath());
    Path existing = Files.writeString(outside.resolve("keep.txt"), "original\n");
    try {
      String result =
          agent.step(
              "run_command('echo pwned > "
                  + outside
                  + "/new.txt;"
                  + " echo pwned > "
                  + existing
                  + "; rm -f "
                  + existing
                  + "; touch /etc/codepilot-canary;"
                  + " echo after')");

      assertThat(result)
          .contains("Read-only file system")
          .contains("STDOUT:\nafter")
          .endsWith("Return Code: 0");
      assertThat(outside.resolve("new.txt")).doesNotExist();
      assertThat(existing).hasContent("original");
      assertThat(Path.of("/etc/codepilot-canary")).doesNotExist();
    } finally {
      Files.deleteIfExists(existing);
      Files.deleteIfExists(outside);
    }
  }

  @Test
  void tmpAndHomeArePrivateAndEmptyAndWhatIsWrittenThereStaysThere() throws Exception {
    String name = "codepilot-canary-" + UUID.randomUUID();
    String result =
        agent.step(
            "run_command('ls -A /tmp; ls -A \"$HOME\"; echo inside > /tmp/"
                + name
                + "; echo inside > \"$HOME\"/"
                + name
                + "; cat /tmp/"
                + name
                + "; echo home=$HOME')");

    Path realHome = Path.of(System.getProperty("user.home"));
    // /tmp holds nothing but the way to the workspace, when the workspace is under /tmp.
    Path real = workDir.toRealPath();
    String mountPoint = real.startsWith("/tmp/") ? real.getName(1) + "\n" : "";
    assertThat(result)
        .isEqualTo(
            "$ ls -A /tmp; ls -A \"$HOME\"; echo inside > /tmp/"
                + name
                + "; echo inside > \"$HOME\"/"
                + name
                + "; cat /tmp/"
                + name
                + "; echo home=$HOME\n"
                + "STDOUT:\n"
                + mountPoint
                + "inside\nhome="
                + homeSeenInside()
                + "\nReturn Code: 0");
    assertThat(Path.of("/tmp", name)).doesNotExist();
    assertThat(realHome.resolve(name)).doesNotExist();
  }

  @Test
  void aFilePlantedInTheRealHomeCannotBeRead() throws Exception {
    Path home = Path.of(System.getProperty("user.home")).toRealPath();
    Path secret = home.resolve(".codepilot-secret-" + UUID.randomUUID());
    Files.writeString(secret, "TOP-SECRET-CANARY\n");
    try {
      String result =
          agent.step(
              "run_command('cat "
                  + secret
                  + "; ls -A "
                  + home
                  + "; grep -r TOP-SECRET-CANARY "
                  + home
                  + " 2>&1 | head -3; echo exit-ok')");

      assertThat(result)
          .doesNotContain("TOP-SECRET-CANARY\n")
          .contains("No such file")
          .contains("exit-ok")
          .endsWith("Return Code: 0");
    } finally {
      Files.deleteIfExists(secret);
    }
  }

  @Test
  void noNetworkUnlessTheAgentFileAllowsIt(@TempDir Path otherDir) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(1500);
      String connect =
          "run_command('bash -c \"echo hello > /dev/tcp/127.0.0.1/"
              + server.getLocalPort()
              + "\" && echo connected || echo refused', timeout=20)";

      String result = agent.step(connect);

      assertThat(result).contains("refused").doesNotContain("connected\n");
      assertThrows(SocketTimeoutException.class, () -> server.accept().close());

      ShellConfig withNetwork =
          new ShellConfig(Confine.ALWAYS, true, Map.of(), ShellConfig.Limits.DEFAULT);
      try (Agent networked = Agent.in(otherDir, r -> r.withShell(withNetwork))) {
        assertThat(networked.step(connect)).contains("connected");
        try (Socket accepted = server.accept()) {
          assertThat(accepted.isConnected()).isTrue();
        }
      }
    }
  }

  @Test
  void aForkBombMeetsTheProcessLimitAndTheAgentGoesOn(@TempDir Path otherDir) throws Exception {
    ShellConfig small =
        new ShellConfig(
            Confine.ALWAYS,
            false,
            Map.of(),
            new ShellConfig.Limits(64, 256, 1L << 30, OptionalLong.empty()));
    String sleep = HostProcesses.marker();
    try (Agent bombing = Agent.in(otherDir, r -> r.withShell(small))) {
      long started = System.nanoTime();
      String result =
          bombing.step(
              "run_command('bomb() { sleep "
                  + sleep
                  + " & bomb | bomb & };"
                  + " bomb; sleep 3; echo survived; ls /proc | grep -c \"^[0-9]\"', timeout=30)");

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
      assertThat(result).contains("survived").contains("fork").endsWith("Return Code: 0");
      int processes =
          Integer.parseInt(
              result
                  .substring(result.indexOf("survived\n") + 9)
                  .lines()
                  .findFirst()
                  .orElseThrow()
                  .strip());
      assertThat(processes).isLessThanOrEqualTo(64);
      // Everything it started ended with it, and the runtime still answers.
      await().atMost(Duration.ofSeconds(10)).until(() -> !HostProcesses.anyWith(sleep));
      assertThat(bombing.step("print('still here')")).isEqualTo("still here");
    }
  }

  @Test
  void aProcessIgnoringSigtermIsKilledAtTheTimeoutWithItsChildren() {
    String sleep = HostProcesses.marker();
    long started = System.nanoTime();
    String result =
        agent.step(
            "run_command(\"trap '' TERM; (trap '' TERM; sleep "
                + sleep
                + ") & sleep "
                + sleep
                + "; wait\", timeout=1)");

    assertThat(result)
        .endsWith(
            "Return Code: none (timed out after 1s; the command and the"
                + " processes it started were killed)");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> !HostProcesses.anyWith(sleep));
  }

  @Test
  void aFileOverTheSizeLimitIsCutAndTheCommandFails(@TempDir Path otherDir) throws Exception {
    ShellConfig small =
        new ShellConfig(
            Confine.ALWAYS,
            false,
            Map.of(),
            new ShellConfig.Limits(512, 64, 1L << 20, OptionalLong.empty()));
    try (Agent limited = Agent.in(otherDir, r -> r.withShell(small))) {
      String result =
          limited.step(
              "run_command('head -c 5000000 /dev/zero > big.bin; echo rc=$?;" + " ulimit -n')");

      assertThat(result).containsPattern("rc=(153|1)\n64\n").endsWith("Return Code: 0");
      assertThat(Files.size(otherDir.resolve("big.bin"))).isEqualTo(1L << 20);
    }
  }

  @Test
  void theJailSeesOnlyItsOwnProcessesAndNoCapabilities() {
    String result =
        agent.step(
            "run_command('ls /proc | grep -c \"^[0-9]\"; grep CapEff" + " /proc/self/status')");

    int processes = Integer.parseInt(result.lines().skip(2).findFirst().orElseThrow().strip());
    assertThat(processes).isLessThan(10);
    assertThat(result).contains("CapEff:\t0000000000000000");
  }

  // Useful commands

  @Test
  void outputStreamsAndExitCodesAreAsOutsideTheJail() {
    assertThat(agent.step("run_command('echo out; echo err >&2; exit 3')"))
        .isEqualTo("$ echo out; echo err >&2; exit 3\nSTDOUT:\nout\nSTDERR:\nerr\nReturn Code: 3");
    assertThat(agent.step("run_command('seq 1 100 | grep 7 | wc -l')"))
        .isEqualTo("$ seq 1 100 | grep 7 | wc -l\nSTDOUT:\n19\nReturn Code: 0");
  }

  @Test
  void filesCreatedInTheWorkspaceBelongToTheUser() throws Exception {
    agent.step("run_command('mkdir -p made/here && echo data > made/here/file.txt')");

    Path file = workDir.resolve("made/here/file.txt");
    assertThat(file).hasContent("data");
    Object ownUid = Files.getAttribute(Files.createTempFile(workDir, "own", ".txt"), "unix:uid");
    assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(ownUid);
    assertThat(Files.getAttribute(workDir.resolve("made"), "unix:uid")).isEqualTo(ownUid);
  }

  @Test
  void javacCompilesAndJavaRunsInsideTheJail() throws Exception {
    Files.writeString(
        workDir.resolve("Hello.java"),
        "class Hello { public static void main(String[] a) { System.out.println(\"hi \" + 6 * 7); } }");
    Path bin = Path.of(System.getProperty("java.home"), "bin");

    String result =
        agent.step(
            "run_command('"
                + bin
                + "/javac -d classes Hello.java && "
                + bin
                + "/java -cp classes Hello', timeout=120)");

    assertThat(result).contains("STDOUT:\nhi 42\n").endsWith("Return Code: 0");
    assertThat(workDir.resolve("classes/Hello.class")).exists();
  }

  @Test
  void gitInitAndCommitWork() {
    String result =
        agent.step(
            "run_command('mkdir -p repo && cd repo && git init -q && echo a >"
                + " a.txt && git add a.txt && git -c user.name=A -c user.email=a@example.com commit -qm"
                + " first && git log --oneline | wc -l', timeout=60)");

    assertThat(result).contains("STDOUT:\n1\n").endsWith("Return Code: 0");
  }

  @Test
  void backgroundCommandsRunConfinedAndStopCommandEndsThem() throws Exception {
    String sleep = HostProcesses.marker();
    String id =
        agent
            .step(
                "print(run_command('echo ready; ls /proc | grep -c \"^[0-9]\"; sleep "
                    + sleep
                    + " & wait', background=True))")
            .lines()
            .findFirst()
            .orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> HostProcesses.anyWith(sleep));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> agent.step("command_output('" + id + "')").contains("ready\n"));
    String stopped = agent.step("stop_command('" + id + "')");

    assertThat(stopped)
        .startsWith("[" + id + "] stopped, Return Code:")
        .containsPattern("OUTPUT:\nready\n[1-9]$");
    await().atMost(Duration.ofSeconds(5)).until(() -> !HostProcesses.anyWith(sleep));
  }

  @Test
  void aCompilerWritesItsOutputInTheWorkspace() throws Exception {
    Path gcc = Path.of("/usr/bin/gcc");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(gcc), "no gcc here");
    Files.writeString(
        workDir.resolve("hello.c"),
        "#include <stdio.h>\nint main(void) { puts(\"compiled\"); return 0; }\n");

    String result = agent.step("run_command('gcc -o hello hello.c && ./hello', timeout=60)");

    assertThat(result).contains("STDOUT:\ncompiled\n").endsWith("Return Code: 0");
  }

  // Settings

  @Test
  void neverRunsCommandsUnconfined(@TempDir Path otherDir) throws Exception {
    ShellConfig never = ShellConfig.DEFAULT.withConfine(Confine.NEVER);
    try (Agent unconfined = Agent.in(otherDir, r -> r.withShell(never))) {
      String result = unconfined.step("run_command('ls /proc | grep -c \"^[0-9]\"')");

      int processes = Integer.parseInt(result.lines().skip(2).findFirst().orElseThrow().strip());
      assertThat(processes).isGreaterThan(10);
    }
  }

  @Test
  void unsafeModeDoesNotTurnConfinementOff(@TempDir Path otherDir) throws Exception {
    try (Agent unsafe = Agent.in(otherDir, r -> Agent.unsafe(r).withShell(ALWAYS))) {
      assertThat(unsafe.step("run_command('touch /etc/codepilot-canary')"))
          .contains("Read-only file system");
    }
  }

  @Test
  void aMissingOrBrokenBubblewrapIsExplainedInOneLine(@TempDir Path otherDir) throws Exception {
    CommandJail.Status missing = CommandJail.probe(Optional.empty());
    assertThat(missing.available()).isFalse();
    assertThat(missing.detail())
        .contains("not installed")
        .contains("apt-get install bubblewrap")
        .doesNotContain("\n");

    CommandJail.Status notAFile = CommandJail.probe(Optional.of(otherDir));
    assertThat(notAFile.available()).isFalse();
    assertThat(notAFile.detail()).contains("not an executable file").doesNotContain("\n");

    Path broken = otherDir.resolve("bwrap");
    Files.writeString(
        broken,
        "#!/bin/sh\necho 'bwrap: No permissions to create new namespace'" + " >&2\nexit 1\n");
    broken.toFile().setExecutable(true);
    CommandJail.Status failing = CommandJail.probe(Optional.of(broken));
    assertThat(failing.available()).isFalse();
    assertThat(failing.detail())
        .contains(
            "cannot confine commands here: bwrap: No permissions to" + " create new namespace")
        .contains("user namespaces")
        .doesNotContain("\n");
  }

  private static String homeSeenInside() throws IOException {
    String home = System.getenv("HOME");
    Path path = home == null ? null : Path.of(home);
    return path != null
            && path.isAbsolute()
            && Files.isDirectory(path)
            && path.toRealPath().getParent() != null
        ? path.toRealPath().toString()
        : "/tmp/home";
  }
}
