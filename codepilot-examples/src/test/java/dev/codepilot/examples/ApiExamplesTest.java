package dev.codepilot.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference section 14 and the event reference. */
class ApiExamplesTest {

  @TempDir Path tmp;

  private final Agents.Output out = new Agents.Output();

  @Test
  void apiTourShowsTheResultTheRuntimeAndTheSessionBackends() throws Exception {
    Path agentDir = Agents.copy("api", tmp).getParent();
    Path workDir = agentDir.resolve("workspace");

    ApiSurface.tour(
        agentDir.resolve("cassette.json"), workDir, tmp.resolve("sessions"), out.stream());

    assertThat(out.text())
        .contains(
            "model:    openai llama3.1 at http://localhost:11434/v1, max tokens 4096",
            "outcome:  FINISHED (finished: true)",
            "summary:  6 x 7 is 42.",
            "steps:    1",
            "tokens:   0 in, 0 out",
            "error:    none",
            "tools:    [ask_user, done, read_file, run_command, think, write_file]",
            "prompt:   You are Calculator, Does arithmetic carefully.",
            "message:  USER [USER INPUT]",
            "message:  ASSISTANT ```python",
            "message:  USER [EXECUTION RESULT]",
            "session:  api-tour",
            "running:  false, background commands: 0",
            "memory:   1 message",
            "file:     calc.json exists: true, 2 messages",
            "listed:   [calc]",
            "reset:    exists: false");
    assertThat(workDir.resolve("recorded.json")).content().contains("6 x 7 is 42.");
  }

  @Test
  void eventReferencePrintsEveryEventTypeAsJson() throws Exception {
    EventReference.run(Agents.copy("events", tmp), out.stream());

    assertThat(
            out.text()
                .lines()
                .map(line -> line.replaceAll("^\\{\"event\":\"([a-z_]+)\".*", "$1"))
                .distinct()
                .sorted())
        .containsExactly(
            "ask_user",
            "context_condensed",
            "finish",
            "max_steps",
            "permission_request",
            "runtime_error",
            "security_error",
            "session_reset",
            "start",
            "step",
            "think",
            "tool_call",
            "tool_result",
            "user_message_injected",
            "user_message_queued");
  }
}
