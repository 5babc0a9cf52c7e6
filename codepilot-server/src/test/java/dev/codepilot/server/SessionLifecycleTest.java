package dev.codepilot.server;

import static dev.codepilot.server.TestServer.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.session.FileSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions created, listed, deleted, kept apart, closed when idle and resumed after restarts. */
class SessionLifecycleTest {

  @TempDir Path root;

  @Test
  void sessionsAreCreatedListedAndDeleted() throws Exception {
    try (TestServer server = TestServer.start(root)) {
      var named = server.post("/api/sessions", Map.of("id", "alpha"));
      var unnamed = server.post("/api/sessions");
      var again = server.post("/api/sessions", Map.of("id", "alpha"));

      assertThat(named.status()).isEqualTo(201);
      assertThat(named.headers().firstValue("Location")).contains("/api/sessions/alpha");
      assertThat(named.body().path("id").asText()).isEqualTo("alpha");
      assertThat(named.body().path("message_count").asInt()).isZero();
      assertThat(unnamed.status()).isEqualTo(201);
      String generated = unnamed.body().path("id").asText();
      assertThat(generated).startsWith("session-");
      assertThat(again.status()).isEqualTo(409);

      JsonNode sessions = server.get("/api/sessions").body().path("sessions");
      assertThat(sessions)
          .extracting(s -> s.path("id").asText())
          .containsExactlyInAnyOrder("alpha", generated);
      assertThat(sessions)
          .allSatisfy(
              s -> {
                assertThat(s.path("agent").asText()).isEqualTo(TestServer.AGENT_NAME);
                assertThat(s.path("live").asBoolean()).isTrue();
                assertThat(s.path("running").asBoolean()).isFalse();
              });

      assertThat(server.delete("/api/sessions/alpha").status()).isEqualTo(204);
      assertThat(server.get("/api/sessions/alpha").status()).isEqualTo(404);
      assertThat(server.delete("/api/sessions/alpha").status()).isEqualTo(404);
      assertThat(Files.exists(server.sessionDir.resolve("alpha.json"))).isFalse();
      assertThat(server.get("/api/sessions").body().path("sessions"))
          .extracting(s -> s.path("id").asText())
          .containsExactly(generated);
    }
  }

  @Test
  void aSessionOfAnotherAgentInTheDirectoryIsNeitherListedNorOpened() throws Exception {
    Path dir = root.resolve("sessions");
    try (FileSession other = new FileSession("theirs", "Another Agent", dir)) {
      other.save(List.of(Message.user("[USER INPUT]\nsecret")));
    }
    try (TestServer server = TestServer.start(root)) {
      assertThat(server.get("/api/sessions").body().path("sessions")).isEmpty();
      var messages = server.get("/api/sessions/theirs/messages");
      var run = server.post("/api/sessions/theirs/runs", Map.of("task", "peek"));

      assertThat(messages.status()).isEqualTo(409);
      assertThat(messages.body().path("error").asText()).contains("Another Agent");
      assertThat(run.status()).isEqualTo(409);
    }
  }

  @Test
  void afterARestartTheTranscriptIsThereAndTheNextRunSeesIt() throws Exception {
    TestServer first = TestServer.start(root);
    first.model("durable").reply(block("print('remember 42')\ndone('noted')"));
    first.run("durable", "Remember a number");
    first.awaitIdle("durable");

    try (TestServer second = first.restart(b -> {})) {
      JsonNode transcript = second.get("/api/sessions/durable/messages").body().path("messages");
      assertThat(transcript).hasSize(3);
      assertThat(transcript.get(0).path("content").asText())
          .isEqualTo("[USER INPUT]\nRemember a number");
      assertThat(second.get("/api/sessions").body().path("sessions"))
          .extracting(s -> s.path("id").asText())
          .containsExactly("durable");

      second.model("durable").reply(block("done('it was 42')"));
      second.run("durable", "Which number?");
      second.awaitIdle("durable");

      ModelRequest request = second.model("durable").requests().get(0);
      assertThat(request.messages())
          .extracting(Message::content)
          .containsExactly(
              "[USER INPUT]\nRemember a number",
              block("print('remember 42')\ndone('noted')"),
              "[EXECUTION RESULT]\nremember 42",
              "[USER INPUT]\nWhich number?");
    }
  }

  @Test
  void anIdleSessionIsClosedReleasingItsLockAndOpensAgainOnItsNextUse() throws Exception {
    try (TestServer server = TestServer.start(root, b -> b.idleTimeout(Duration.ofMillis(300)))) {
      server.run("idle", "First");
      server.model("idle").awaitRequest();
      JsonNode during = server.get("/api/sessions/idle").body();
      assertThat(during.path("live").asBoolean()).isTrue();
      assertThat(during.path("running").asBoolean()).isTrue();
      Thread.sleep(500);
      assertThat(server.get("/api/sessions/idle").body().path("live").asBoolean())
          .as("a running session is never closed")
          .isTrue();
      server.model("idle").reply(block("x = 1\ndone('first')"));
      server.awaitIdle("idle");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !server.get("/api/sessions/idle").body().path("live").asBoolean());
      try (FileSession probe = new FileSession("idle", TestServer.AGENT_NAME, server.sessionDir)) {
        assertThat(probe.load()).hasSize(3);
      }

      server.model("idle").reply(block("print(len('resumed'))\ndone('second')"));
      server.run("idle", "Second");
      JsonNode status = server.awaitIdle("idle");
      assertThat(status.path("last_run").path("summary").asText()).isEqualTo("second");
      assertThat(status.path("message_count").asInt()).isEqualTo(6);
    }
  }

  @Test
  void twoSessionsRunAtOnceWithoutSeeingEachOther() throws Exception {
    try (TestServer server = TestServer.start(root)) {
      ScriptedModel a = server.model("left");
      ScriptedModel b = server.model("right");
      try (EventClient leftEvents = server.connect("left");
          EventClient rightEvents = server.connect("right")) {
        server.run("left", "Left task");
        server.run("right", "Right task");
        a.awaitRequest();
        b.awaitRequest();
        assertThat(server.get("/api/sessions/left").body().path("running").asBoolean()).isTrue();
        assertThat(server.get("/api/sessions/right").body().path("running").asBoolean()).isTrue();

        b.reply(block("publish('right-pkg')"));
        server.awaitPending("right");
        var wrongSession = server.post("/api/sessions/left/permission", Map.of("approve", true));
        assertThat(wrongSession.status()).isEqualTo(409);
        server.post("/api/sessions/right/permission", Map.of("approve", true));
        b.awaitRequest();
        b.reply(block("done('right done')"));
        a.reply(block("think('left thinking')\ndone('left done')"));

        List<JsonNode> left = leftEvents.until("run_end");
        List<JsonNode> right = rightEvents.until("run_end");
        assertThat(left)
            .extracting(m -> m.toString())
            .allSatisfy(text -> assertThat(text).doesNotContain("right", "Right"));
        assertThat(right)
            .extracting(m -> m.toString())
            .allSatisfy(text -> assertThat(text).doesNotContain("left", "Left"));
        assertThat(left.get(left.size() - 1).path("summary").asText()).isEqualTo("left done");
        assertThat(right.get(right.size() - 1).path("summary").asText()).isEqualTo("right done");
      }
      assertThat(server.published).containsExactly("right-pkg");
      assertThat(server.model("left").requests())
          .allSatisfy(
              r ->
                  assertThat(r.messages())
                      .extracting(Message::content)
                      .noneMatch(c -> c.contains("Right")));
    }
  }

  @Test
  void closingTheServerAbortsRunsAndReleasesTheSessions() throws Exception {
    TestServer server = TestServer.start(root);
    server.run("cut", "Never finishes");
    server.model("cut").awaitRequest();

    server.close();

    try (FileSession probe = new FileSession("cut", TestServer.AGENT_NAME, server.sessionDir)) {
      assertThat(probe.load())
          .extracting(Message::content)
          .containsExactly("[USER INPUT]\nNever finishes");
    }
  }
}
