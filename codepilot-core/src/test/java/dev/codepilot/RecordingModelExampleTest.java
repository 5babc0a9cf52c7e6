package dev.codepilot;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.AgentFile;
import dev.codepilot.internal.Json;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ChatModels;
import dev.codepilot.model.RecordingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example in {@link RecordingModel}'s Javadoc, as written there, against a replay model. */
class RecordingModelExampleTest {

  @TempDir Path dir;

  @Test
  void theJavadocExampleRecordsTheRunsReplies() throws Exception {
    String reply = block("print('hi')\ndone('said hi')");
    Files.writeString(
        dir.resolve("cassette.json"), Json.write(Map.of("responses", List.of(reply))));
    Files.writeString(
        dir.resolve("agent.yaml"),
        "agent:\n  name: Rec\n"
            + "  model: {provider: replay, cassette: ./cassette.json}\n"
            + "  runtime: {work_dir: ./workspace}\n");
    String task = "Say hi";
    Path recorded = dir.resolve("run.json");

    // As in the Javadoc, with the files of this test.
    AgentConfig config = AgentFile.load(dir.resolve("agent.yaml"));
    ChatModel model = new RecordingModel(ChatModels.create(config.model()), recorded);
    try (AgentRuntime runtime =
        AgentRuntime.builder(config).model(model).consoleOutput(false).build()) {
      runtime.run(task); // closing the runtime closes the model
    }

    assertThat(Json.mapper().readTree(recorded.toFile()).path("responses").get(0).asText())
        .isEqualTo(reply);
  }
}
