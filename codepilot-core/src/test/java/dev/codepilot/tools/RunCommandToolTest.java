package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.testing.FixedContext;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Foreground run_command with real processes: output, exit codes, timeouts, truncation. */
@DisabledOnOs(OS.WINDOWS)
class RunCommandToolTest {

  private static final int MAX_OUTPUT = 3_000;

  @TempDir static Path workDir;

  private static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    agent = Agent.in(workDir, Agent.maxOutput(MAX_OUTPUT));
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  @Test
  void reportsTheCommandItsOutputStreamsAndTheReturnCode() {
    String result = agent.step("run_command('echo out; echo err >&2')");

    assertThat(result)
        .isEqualTo("$ echo out; echo err >&2\nSTDOUT:\nout\nSTDERR:\nerr\nReturn Code: 0");
  }

  @Test
  void emptyStreamsAreLeftOut() {
    assertThat(agent.step("run_command('true')")).isEqualTo("$ true\n(no output)\nReturn Code: 0");
    assertThat(agent.step("run_command('echo only >&2')"))
        .isEqualTo("$ echo only >&2\nSTDERR:\nonly\nReturn Code: 0");
  }

  @Test
  void aNonZeroExitIsAResultNotAnException() {
    String result =
        agent.step("r = run_command('echo failing; exit 3')\n" + "print('Return Code: 3' in r)");

    assertThat(result)
        .isEqualTo("True\n\n$ echo failing; exit 3\nSTDOUT:\nfailing\nReturn Code: 3");
  }

  @Test
  void runsInTheWorkspaceWithStdinClosed() throws Exception {
    Files.writeString(workDir.resolve("here.txt"), "found me\n");
    String result = agent.step("run_command('cat here.txt; cat; echo after-stdin')");

    assertThat(result)
        .isEqualTo(
            "$ cat here.txt; cat; echo after-stdin\nSTDOUT:\nfound me\n"
                + "after-stdin\nReturn Code: 0");
  }

  @Test
  void theTimeoutArgumentKillsTheCommandAndWhatItStarted() throws Exception {
    String sleep = HostProcesses.marker();
    long started = System.nanoTime();
    String result =
        agent.step("run_command('echo started; sleep " + sleep + " & wait'," + " timeout=1)");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(result)
        .isEqualTo(
            "$ echo started; sleep "
                + sleep
                + " & wait\nSTDOUT:\n"
                + "started\nReturn Code: none (timed out after 1s; the command and the processes it"
                + " started were killed)");
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> !HostProcesses.anyWith(sleep));
  }

  @Test
  void fractionalTimeoutsAreAllowedAndBadOnesRefused() {
    String result =
        agent.step(
            """
        print(run_command('sleep 5', timeout=0.5).splitlines()[-1])
        for bad in [0, -1, 'ten']:
            try:
                run_command('true', timeout=bad)
            except (ValueError, TypeError) as e:
                print(type(e).__name__, e)""");

    assertThat(result)
        .startsWith(
            """
        Return Code: none (timed out after 0.5s; the command and the processes it started were killed)
        ValueError run_command(): timeout must be a positive number of seconds, not 0
        ValueError run_command(): timeout must be a positive number of seconds, not -1
        TypeError run_command(): timeout must be float, not str""");
  }

  @Test
  void theAgentFileTimeoutAppliesWhenTheCallGivesNone(@TempDir Path otherDir) throws Exception {
    AgentConfig config =
        TestAgents.config(
            otherDir,
            20,
            Duration.ofSeconds(10),
            20_000,
            List.of(new ToolConfig("run_command", true, Map.of("timeout", 1))));
    try (Agent configured = Agent.with(config)) {
      String result = configured.step("run_command('sleep 20')");
      assertThat(result)
          .endsWith(
              "Return Code: none (timed out after 1s; the command and the"
                  + " processes it started were killed)");

      String overridden = configured.step("run_command('sleep 2; echo slept', timeout=10)");
      assertThat(overridden).endsWith("slept\nReturn Code: 0");
    }
  }

  @Test
  void theDefaultTimeoutIsThirtySeconds() throws Exception {
    ToolInvocation noTimeout =
        new ToolInvocation(
            BuiltinTools.runCommand(),
            Map.of("command", "true"),
            Optional.empty(),
            new FixedContext(workDir, Map.of()));
    ToolInvocation configured =
        new ToolInvocation(
            BuiltinTools.runCommand(),
            Map.of("command", "true"),
            Optional.empty(),
            new FixedContext(workDir, Map.of("run_command", Map.of("timeout", 60))));

    assertThat(RunCommandTool.effectiveTimeout(noTimeout)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RunCommandTool.effectiveTimeout(configured)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void largeOutputKeepsHeadAndTailAndTheReturnCode() {
    String result = agent.step("run_command('seq 1 100000; echo to-stderr >&2; exit 4')");

    assertThat(result.length()).isLessThanOrEqualTo(MAX_OUTPUT + 100);
    assertThat(result)
        .startsWith("$ seq 1 100000; echo to-stderr >&2; exit 4\nSTDOUT:\n1\n2\n3\n")
        .containsPattern("\\[\\.\\.\\. \\d+ (chars|bytes) truncated \\.\\.\\.\\]")
        .contains("99999\n100000\nSTDERR:\nto-stderr\nReturn Code: 4");
  }

  @Test
  void aChattyCommandOnBothStreamsNeverBlocks() {
    String result =
        agent.step(
            "run_command('yes e | head -c 2000000 >&2; yes o | head -c 2000000;"
                + " echo end; yes e | head -c 2000000 >&2', timeout=20)");

    assertThat(result).contains("o\no\nend\nSTDERR:\ne\ne\n").endsWith("e\ne\nReturn Code: 0");
  }

  @Test
  void aBackgroundedChildHoldingTheOutputDoesNotHangTheCall() {
    long started = System.nanoTime();
    String result = agent.step("run_command('sleep 5 & echo parent done')");

    // Whether the JDK closes the pipe at exit or the grace period runs out (then a note says
    // so) depends on timing; either way the call returns long before the child ends.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    assertThat(result)
        .startsWith("$ sleep 5 & echo parent done\nSTDOUT:\nparent done\n" + "Return Code: 0");
  }

  @Test
  void callAndResultEventsSurroundTheCommand() {
    agent.step("run_command('echo hi')");

    assertThat(agent.log.events())
        .filteredOn(e -> e instanceof Event.ToolCall || e instanceof Event.ToolResult)
        .containsExactly(
            new Event.ToolCall("run_command", Map.of("command", "echo hi")),
            new Event.ToolResult("run_command", "$ echo hi\nSTDOUT:\nhi\nReturn Code: 0"));
  }
}
