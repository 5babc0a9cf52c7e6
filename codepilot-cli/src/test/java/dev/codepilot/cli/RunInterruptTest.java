package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.SessionInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C and a killed process: what {@code codepilot run} leaves behind. */
class RunInterruptTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_UP = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void theFirstCtrlCStopsTheRunAfterItsStepAndExitsWithOne() throws Exception {
    Path agent =
        replayAgent(
            "agent.yaml",
            "c.json",
            List.of(
                "```python\nrun_command('sleep 3')\nprint('step one ended')\n```",
                "```python\ndone('should not be reached')\n```"));
    try (Cli.Running running =
        Cli.start(dir, Map.of(), null, "run", agent.toString(), "go", "--json")) {
      Cli.awaitTrue(
          START_UP, "the command to start", () -> running.stdout().contains("\"tool_call\""));
      running.interrupt();
      Cli.Result result = running.await(Duration.ofSeconds(60));

      assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
      assertThat(result.stderr()).contains("Stopping after this step");
      // The step in progress ran to its end; no further step began.
      assertThat(result.stdout())
          .contains("Return Code: 0")
          .doesNotContain("\"finish\"")
          .doesNotContain("\"step\":2");
    }
  }

  @Test
  void aSecondCtrlCQuitsAtOnceAndEndsTheAgentsCommand() throws Exception {
    Path agent =
        replayAgent("agent.yaml", "c.json", List.of("```python\nrun_command('sleep 45')\n```"));
    try (Cli.Running running =
        Cli.start(dir, Map.of(), null, "run", agent.toString(), "go", "--json")) {
      Cli.awaitTrue(
          START_UP, "the command to start", () -> running.stdout().contains("\"tool_call\""));
      Cli.awaitTrue(
          Duration.ofSeconds(30),
          "the shell to start",
          () -> running.process.descendants().findAny().isPresent());
      List<ProcessHandle> children = running.process.descendants().toList();
      running.interrupt();
      Thread.sleep(300);
      running.interrupt();
      Cli.Result result = running.await(Duration.ofSeconds(20));

      assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
      assertThat(result.stderr()).contains("Quit");
      Cli.awaitTrue(
          Duration.ofSeconds(10),
          "the agent's command to end",
          () -> children.stream().noneMatch(ProcessHandle::isAlive));
    }
  }

  @Test
  void aProcessKilledMidRunLeavesAValidSessionWithEveryCompletedStep() throws Exception {
    Path agent =
        replayAgent(
            "agent.yaml",
            "c.json",
            List.of(
                "```python\nprint('first step done')\n```",
                "```python\nrun_command('sleep 30')\n```"));
    Path sessions = dir.resolve("sessions");
    String[] args = {
      "run",
      agent.toString(),
      "build it",
      "--json",
      "--session",
      "file",
      "--session-id",
      "crash",
      "--session-dir",
      sessions.toString()
    };
    try (Cli.Running running = Cli.start(dir, Map.of(), null, args)) {
      // The first step is saved, and the second is running its command.
      Cli.awaitTrue(
          START_UP,
          "step 2's command",
          () ->
              running.stdout().contains("\"tool_call\"")
                  && FileSession.metadata(sessions, "crash")
                          .map(SessionInfo::messageCount)
                          .orElse(0)
                      == 3);
      List<ProcessHandle> children = running.process.descendants().toList();
      running.process.destroyForcibly().waitFor();
      children.forEach(ProcessHandle::destroyForcibly);
    }

    SessionInfo info = FileSession.metadata(sessions, "crash").orElseThrow();
    assertThat(info.messageCount()).isEqualTo(3);
    Optional<List<Message>> messages = FileSession.readMessages(sessions, "crash");
    assertThat(messages.orElseThrow())
        .extracting(Message::content)
        .satisfiesExactly(
            task -> assertThat(task).isEqualTo("[USER INPUT]\nbuild it"),
            reply -> assertThat(reply).contains("print('first step done')"),
            result ->
                assertThat(result).startsWith("[EXECUTION RESULT]\n").contains("first step done"));

    // The dead process's lock blocks nobody: the next run resumes the session.
    Path next = replayAgent("next.yaml", "next.json", List.of("```python\ndone('picked up')\n```"));
    Cli.Result resumed =
        Cli.run(
            dir,
            "run",
            next.toString(),
            "finish it",
            "--session",
            "file",
            "--session-id",
            "crash",
            "--session-dir",
            sessions.toString());
    assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
    assertThat(resumed.stdout())
        .contains("Resuming session 'crash' (3 messages)")
        .contains("Done: picked up");
    assertThat(FileSession.metadata(sessions, "crash").orElseThrow().messageCount()).isEqualTo(6);
  }

  private Path replayAgent(String file, String cassette, List<String> replies) throws Exception {
    Files.writeString(dir.resolve(cassette), JSON.writeValueAsString(Map.of("responses", replies)));
    Path agent = dir.resolve(file);
    Files.writeString(
        agent,
        """
        agent:
          name: "Tester"
          model:
            provider: "replay"
            cassette: "./%s"
          runtime:
            work_dir: "./ws"
        """
            .formatted(cassette));
    return agent;
  }
}
