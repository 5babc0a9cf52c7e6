package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codepilot.AgentRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * run_command(..., background=True), command_output and stop_command with real processes, and the
 * runtime ending what the agent started.
 */
@DisabledOnOs(OS.WINDOWS)
class BackgroundCommandTest {

  @TempDir static Path workDir;

  private static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    agent = Agent.in(workDir);
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void startsReturnsItsIdAtOnceAndReadsAndStopsIt() throws Exception {
    String sleep = HostProcesses.marker();
    String started =
        agent.step(
            """
        job = run_command('echo ready; sleep %s & wait', background=True)
        print('id:', job)"""
                .formatted(sleep));

    assertThat(started)
        .matches(
            "(?s)id: (bg\\d+)\n\nStarted background process \\1 \\(pid \\d+\\):"
                + " echo ready; .*\nRead its output with command_output\\('\\1'\\); end it with"
                + " stop_command\\('\\1'\\)\\.");
    String id = started.substring(4, started.indexOf('\n'));
    await().atMost(Duration.ofSeconds(10)).until(() -> HostProcesses.anyWith(sleep));
    long shell = processOf(id).pid();
    List<ProcessHandle> children = HostProcesses.withArgument(sleep);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> processOf(id).output(1000).contains("ready"));

    String output = agent.step("command_output('" + id + "')");
    assertThat(output)
        .matches(
            "\\["
                + id
                + "] running \\(pid "
                + shell
                + ", for \\d+s\\): echo ready;"
                + " .*\nOUTPUT:\nready");

    String stopped = agent.step("stop_command('" + id + "')");
    assertThat(stopped)
        .matches(
            "\\["
                + id
                + "] stopped, Return Code: \\d+ \\(pid "
                + shell
                + "\\): echo ready; .*\nOUTPUT:\nready");
    assertThat(alive(shell)).isFalse();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                children.stream().noneMatch(ProcessHandle::isAlive)
                    && !HostProcesses.anyWith(sleep));

    String again = agent.step("stop_command('" + id + "')");
    assertThat(again).startsWith("[" + id + "] had already ended: stopped, Return Code:");
  }

  @Test
  void anExitedCommandReportsItsReturnCode() throws Exception {
    String id =
        agent
            .step("print(run_command('echo done-quickly; exit 7', background=True))")
            .lines()
            .findFirst()
            .orElseThrow();
    BackgroundProcess process = processOf(id);
    await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());

    assertThat(agent.step("command_output('" + id + "')"))
        .matches(
            "\\["
                + id
                + "] exited with Return Code: 7 \\(pid \\d+\\): echo done-quickly; exit 7\nOUTPUT:\ndone-quickly");
  }

  @Test
  void unknownIdsAreValueErrorsListingTheKnownOnes() {
    String result =
        agent.step(
            """
        try:
            command_output('bg999')
        except ValueError as e:
            print(e)""");

    assertThat(result).startsWith("no background command 'bg999'; known ids: bg");
  }

  @Test
  void aProcessPrintingMegabytesNeitherBlocksNorGrowsMemory() throws Exception {
    String id =
        agent
            .step(
                "print(run_command('yes 0123456789abcdef | head -c 3000007; echo END;"
                    + " sleep 60', background=True))")
            .lines()
            .findFirst()
            .orElseThrow();
    BackgroundProcess process = processOf(id);

    // The agent goes on with other steps while the process prints.
    assertThat(agent.step("print('meanwhile')")).isEqualTo("meanwhile");
    await().atMost(Duration.ofSeconds(20)).until(() -> process.outputBytes() > 3_000_000);

    assertThat(process.isAlive()).isTrue();
    assertThat(process.retainedOutputBytes()).isLessThanOrEqualTo(80 * 1024);
    String output = agent.step("command_output('" + id + "')");
    assertThat(output.length()).isLessThan(20_000);
    assertThat(output)
        .contains("OUTPUT:\n0123456789abcdef\n")
        .contains("bytes truncated")
        .endsWith("0123456789abcdef\nEND");
    agent.step("stop_command('" + id + "')");
    assertThat(process.isAlive()).isFalse();
  }

  @Test
  void aTimeoutGivenWithBackgroundIsItsLifetime() throws Exception {
    String id =
        agent
            .step("print(run_command('sleep 30', timeout=1, background=True))")
            .lines()
            .findFirst()
            .orElseThrow();
    BackgroundProcess process = processOf(id);

    await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
    assertThat(agent.step("command_output('" + id + "')"))
        .startsWith("[" + id + "] stopped after its timeout of 1s, Return Code:");
  }

  @Test
  void closingTheRuntimeEndsItsBackgroundProcessesAndTheirChildren(@TempDir Path otherDir)
      throws Exception {
    String sleep = HostProcesses.marker();
    long shell;
    try (Agent closing = Agent.in(otherDir)) {
      closing.step("run_command('sleep " + sleep + " & wait', background=True)");
      await().atMost(Duration.ofSeconds(10)).until(() -> HostProcesses.anyWith(sleep));
      shell = closing.runtime.backgroundProcesses().list().getFirst().pid();
      assertThat(alive(shell)).isTrue();
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !alive(shell) && !HostProcesses.anyWith(sleep));
  }

  @Test
  void resetEndsBackgroundProcessesToo() throws Exception {
    String id =
        agent
            .step("print(run_command('sleep 120', background=True))")
            .lines()
            .findFirst()
            .orElseThrow();
    BackgroundProcess process = processOf(id);
    assertThat(process.isAlive()).isTrue();

    agent.runtime.reset();

    await().atMost(Duration.ofSeconds(5)).until(() -> !process.isAlive());
    assertThat(agent.step("print(command_output('" + id + "'))")).contains("ValueError");
  }

  @Test
  void closingTheRuntimeEndsAForegroundCommandInProgress(@TempDir Path otherDir) throws Exception {
    String sleep = HostProcesses.marker();
    Agent closing = Agent.in(otherDir);
    AgentRuntime runtime = closing.runtime;
    Thread runner =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    closing.step("run_command('sleep " + sleep + "', timeout=300)");
                  } catch (RuntimeException e) {
                    // The run may end either way once the runtime is closed under it.
                  }
                });
    await().atMost(Duration.ofSeconds(30)).until(() -> HostProcesses.anyWith(sleep));

    runtime.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> !HostProcesses.anyWith(sleep));
    runner.join(Duration.ofSeconds(10));
    assertThat(runner.isAlive()).isFalse();
  }

  private static BackgroundProcess processOf(String id) {
    return agent
        .runtime
        .backgroundProcesses()
        .get(id)
        .orElseThrow(() -> new AssertionError("no background process " + id));
  }
}
