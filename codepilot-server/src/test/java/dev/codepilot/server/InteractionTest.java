package dev.codepilot.server;

import static dev.codepilot.server.RunStreamingTest.json;
import static dev.codepilot.server.TestServer.block;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Permission requests, questions, abort and reset, answered from "the browser" over HTTP. */
class InteractionTest {

  @TempDir static Path root;

  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(root, b -> b.answerTimeout(Duration.ofSeconds(3)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anApprovedPermissionRequestLetsTheToolRun() throws Exception {
    server.model("approve").reply(block("print(publish('alpha'))"), block("done('published')"));
    try (EventClient events = server.connect("approve")) {
      server.run("approve", "Publish alpha");
      events.until("permission_request");
      JsonNode pending = server.awaitPending("approve");
      assertThat(pending.path("kind").asText()).isEqualTo("permission");
      assertThat(pending.path("tool").asText()).isEqualTo("publish");
      assertThat(pending.path("description").asText()).contains("alpha");

      var approved =
          server.post(
              "/api/sessions/approve/permission",
              Map.of("approve", true, "id", pending.path("id").asLong()));
      List<JsonNode> rest = events.until("run_end");

      assertThat(approved.status()).isEqualTo(200);
      assertThat(rest)
          .contains(
              json(
                  "{\"event\":\"permission_resolved\",\"tool\":\"publish\","
                      + "\"approved\":true,\"by\":\"user\"}"));
      assertThat(rest)
          .contains(
              json(
                  "{\"event\":\"tool_result\",\"tool\":\"publish\",\"result\":\"published alpha\"}"));
      assertThat(rest.get(rest.size() - 1).path("outcome").asText()).isEqualTo("finished");
    }
    assertThat(server.published).contains("alpha");
    assertThat(server.awaitIdle("approve").path("pending").isNull()).isTrue();
  }

  @Test
  void aDeniedPermissionRequestSkipsTheToolAndTheBlockGoesOn() throws Exception {
    server
        .model("deny")
        .reply(block("r = publish('beta')\nprint('after:', r)"), block("done('not published')"));
    try (EventClient events = server.connect("deny")) {
      server.run("deny", "Publish beta");
      events.until("permission_request");
      server.awaitPending("deny");

      var denied = server.post("/api/sessions/deny/permission", Map.of("approve", false));
      List<JsonNode> rest = events.until("run_end");

      assertThat(denied.status()).isEqualTo(200);
      assertThat(denied.body().path("status").asText()).isEqualTo("denied");
      assertThat(rest)
          .contains(
              json(
                  "{\"event\":\"permission_resolved\",\"tool\":\"publish\","
                      + "\"approved\":false,\"by\":\"user\"}"));
      assertThat(rest)
          .anySatisfy(
              m -> {
                assertThat(m.path("event").asText()).isEqualTo("tool_result");
                assertThat(m.path("result").asText()).contains("Permission denied");
              });
    }
    assertThat(server.published).doesNotContain("beta");
    assertThat(server.model("deny").requests().get(1).messages().get(2).content())
        .contains("after:")
        .contains("Permission denied");
  }

  @Test
  void anUnansweredPermissionRequestIsDeniedAfterTheAnswerTimeout() throws Exception {
    server.model("timeout").reply(block("publish('gamma')"), block("done('gave up')"));
    try (EventClient events = server.connect("timeout")) {
      server.run("timeout", "Publish gamma");
      List<JsonNode> messages = events.until("run_end");

      assertThat(messages)
          .contains(
              json(
                  "{\"event\":\"permission_resolved\","
                      + "\"tool\":\"publish\",\"approved\":false,\"by\":\"timeout\"}"));
    }
    assertThat(server.published).doesNotContain("gamma");
    var late = server.post("/api/sessions/timeout/permission", Map.of("approve", true));
    assertThat(late.status()).isEqualTo(409);
  }

  @Test
  void askUserWaitsForTheAnswerFromTheBrowser() throws Exception {
    server
        .model("ask")
        .reply(
            block("name = ask_user('Which name?')\nprint('name is', name)"),
            block("done('named')"));
    try (EventClient events = server.connect("ask")) {
      server.run("ask", "Name the thing");
      assertThat(events.until("ask_user"))
          .last()
          .isEqualTo(json("{\"event\":\"ask_user\",\"question\":\"Which name?\"}"));
      JsonNode pending = server.awaitPending("ask");
      assertThat(pending.path("kind").asText()).isEqualTo("question");
      assertThat(pending.path("question").asText()).isEqualTo("Which name?");
      var wrongKind = server.post("/api/sessions/ask/permission", Map.of("approve", true));
      var staleId =
          server.post(
              "/api/sessions/ask/answer",
              Map.of("answer", "x", "id", pending.path("id").asLong() + 7));

      var answered = server.post("/api/sessions/ask/answer", Map.of("answer", "Ada"));
      List<JsonNode> rest = events.until("run_end");

      assertThat(wrongKind.status()).isEqualTo(409);
      assertThat(staleId.status()).isEqualTo(409);
      assertThat(answered.status()).isEqualTo(200);
      assertThat(rest)
          .contains(json("{\"event\":\"question_answered\",\"answer\":\"Ada\",\"by\":\"user\"}"));
    }
    assertThat(server.model("ask").requests().get(1).messages().get(2).content())
        .contains("name is Ada");
  }

  @Test
  void abortStopsARunWaitingForTheModel() throws Exception {
    ScriptedModel model = server.model("abort");
    try (EventClient events = server.connect("abort")) {
      server.run("abort", "Take your time");
      model.awaitRequest();

      var aborted = server.post("/api/sessions/abort/abort");
      List<JsonNode> messages = events.until("run_end");

      assertThat(aborted.status()).isEqualTo(202);
      assertThat(messages.get(messages.size() - 1).path("outcome").asText()).isEqualTo("aborted");
    }
    assertThat(server.awaitIdle("abort").path("last_run").path("outcome").asText())
        .isEqualTo("aborted");
    assertThat(server.post("/api/sessions/abort/abort").status()).isEqualTo(409);
  }

  @Test
  void abortAnswersAPendingPermissionRequestWithNo() throws Exception {
    server.model("abort-pending").reply(block("publish('delta')\nprint('still here')"));
    try (EventClient events = server.connect("abort-pending")) {
      server.run("abort-pending", "Publish delta");
      server.awaitPending("abort-pending");

      server.post("/api/sessions/abort-pending/abort");
      List<JsonNode> messages = events.until("run_end");

      assertThat(messages)
          .contains(
              json(
                  "{\"event\":\"permission_resolved\","
                      + "\"tool\":\"publish\",\"approved\":false,\"by\":\"abort\"}"));
      assertThat(messages.get(messages.size() - 1).path("outcome").asText()).isEqualTo("aborted");
    }
    assertThat(server.published).doesNotContain("delta");
  }

  @Test
  void resetWipesTheTranscriptAndTheSavedFile() throws Exception {
    server.model("reset").reply(block("done('one')"));
    server.run("reset", "First task");
    server.awaitIdle("reset");
    assertThat(server.get("/api/sessions/reset/messages").body().path("messages")).hasSize(3);
    assertThat(Files.exists(server.sessionDir.resolve("reset.json"))).isTrue();

    try (EventClient events = server.connect("reset")) {
      var reset = server.post("/api/sessions/reset/reset");

      assertThat(reset.status()).isEqualTo(200);
      assertThat(events.next()).isEqualTo(json("{\"event\":\"session_reset\"}"));
    }
    assertThat(server.get("/api/sessions/reset/messages").body().path("messages")).isEmpty();
    assertThat(Files.exists(server.sessionDir.resolve("reset.json"))).isFalse();
    server.model("reset").reply(block("done('two')"));
    server.run("reset", "Second task");
    server.awaitIdle("reset");
    assertThat(server.model("reset").requests().get(1).messages()).hasSize(1);
  }
}
