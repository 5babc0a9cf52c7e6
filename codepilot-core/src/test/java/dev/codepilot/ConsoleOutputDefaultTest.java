package dev.codepilot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.hooks.EventType;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A library runtime prints nothing unless asked; console output is an opt-in. */
class ConsoleOutputDefaultTest {

  @TempDir Path workDir;

  @Test
  void byDefaultARuntimeHasNoConsoleHandlersAndNoGate() throws Exception {
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir)).model(new QueueModel()).build()) {
      for (EventType type : EventType.values()) {
        assertThat(runtime.hooks().hasHandlers(type)).as(type.name()).isFalse();
      }
      assertThat(runtime.hooks().permissionGate()).isEmpty();
    }
  }

  @Test
  void consoleOutputTrueBringsTheHandlersAndThePrompt() throws Exception {
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(new QueueModel())
            .consoleOutput(true)
            .build()) {
      assertThat(runtime.hooks().hasHandlers(EventType.TOOL_CALL)).isTrue();
      assertThat(runtime.hooks().hasHandlers(EventType.FINISH)).isTrue();
      assertThat(runtime.hooks().permissionGate()).isPresent();
    }
  }

  @Test
  void aStreamTurnsItOnAndReceivesTheProgress() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    QueueModel model = new QueueModel().reply(TestAgents.block("done('all done')"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(model)
            .consoleOutput(new PrintStream(console, true, StandardCharsets.UTF_8))
            .build()) {
      runtime.run("finish");
    }
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("✅ Done: all done");
  }
}
