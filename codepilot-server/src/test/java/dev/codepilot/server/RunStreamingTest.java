package dev.codepilot.server;

import static dev.codepilot.server.TestServer.block;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.internal.Json;
import dev.codepilot.model.ModelRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs started over HTTP, watched over the WebSocket. */
class RunStreamingTest {

  @TempDir static Path root;

  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(root);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aFullRunStreamsEveryEventInOrderAndEndsWithTheResult() throws Exception {
    server
        .model("full")
        .reply(block("think('Counting')\nprint(sum(range(4)))"), block("done('Counted to six.')"));
    try (EventClient events = server.connect("full")) {
      server.run("full", "Count");
      List<JsonNode> messages = events.until("run_end");

      assertThat(EventClient.names(messages))
          .containsExactly("start", "step", "think", "step", "finish", "run_end");
      assertThat(messages.get(0)).isEqualTo(json("{\"event\":\"start\",\"task\":\"Count\"}"));
      assertThat(messages.get(1))
          .isEqualTo(json("{\"event\":\"step\",\"step\":1,\"max_steps\":20}"));
      assertThat(messages)
          .filteredOn(m -> m.path("event").asText().equals("model_text"))
          .extracting(m -> m.path("text").asText())
          .contains("think('Counting')\n", "done('Counted to six.')\n");
      assertThat(messages)
          .filteredOn(m -> m.path("event").asText().equals("think"))
          .containsExactly(json("{\"event\":\"think\",\"message\":\"Counting\"}"));
      JsonNode end = messages.get(messages.size() - 1);
      assertThat(end.path("outcome").asText()).isEqualTo("finished");
      assertThat(end.path("summary").asText()).isEqualTo("Counted to six.");
      assertThat(end.path("steps").asInt()).isEqualTo(2);
    }
    JsonNode status = server.awaitIdle("full");
    assertThat(status.path("last_run").path("outcome").asText()).isEqualTo("finished");
    List<ModelRequest> requests = server.model("full").requests();
    assertThat(requests.get(1).messages().get(2).content()).isEqualTo("[EXECUTION RESULT]\n6");
    JsonNode transcript = server.get("/api/sessions/full/messages").body().path("messages");
    assertThat(transcript).hasSize(5);
    assertThat(transcript.get(0))
        .isEqualTo(json("{\"role\":\"user\",\"content\":\"[USER INPUT]\\nCount\"}"));
  }

  @Test
  void aMessageSentMidRunReachesTheAgentAtTheNextStep() throws Exception {
    ScriptedModel model = server.model("inject");
    try (EventClient events = server.connect("inject")) {
      server.run("inject", "Write a greeting");
      model.awaitRequest();
      var queued =
          server.post("/api/sessions/inject/messages", Map.of("message", "Make it formal"));
      assertThat(queued.status()).isEqualTo(202);
      model.reply(block("print('drafting')"));
      ModelRequest second = model.awaitRequest();
      model.reply(block("done('Good day.')"));
      List<JsonNode> messages = events.until("run_end");

      assertThat(second.messages())
          .last()
          .satisfies(m -> assertThat(m.content()).isEqualTo("[USER MESSAGE]\nMake it formal"));
      assertThat(EventClient.names(messages))
          .containsExactly(
              "start",
              "step",
              "user_message_queued",
              "user_message_injected",
              "step",
              "finish",
              "run_end");
      assertThat(messages)
          .contains(json("{\"event\":\"user_message_injected\",\"message\":\"Make it formal\"}"));
    }
  }

  @Test
  void aSecondRunWhileOneIsInProgressIsRefused() throws Exception {
    ScriptedModel model = server.model("busy");
    server.run("busy", "First");
    model.awaitRequest();

    var second = server.post("/api/sessions/busy/runs", Map.of("task", "Second"));

    assertThat(second.status()).isEqualTo(409);
    assertThat(second.body().path("error").asText()).contains("already in progress");
    model.reply(block("done('first done')"));
    assertThat(server.awaitIdle("busy").path("last_run").path("summary").asText())
        .isEqualTo("first done");
  }

  static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }
}
