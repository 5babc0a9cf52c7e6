package dev.codepilot.server;

import static dev.codepilot.server.TestServer.block;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.testing.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two servers on one PostgreSQL session store serve the same sessions. */
class SharedStoreTest {

  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @TempDir Path rootA;

  @TempDir Path rootB;

  private String store;

  @BeforeEach
  void newDatabase() throws Exception {
    store =
        PG.newDatabase() + "?user=" + PostgresServer.USER + "&password=" + PostgresServer.PASSWORD;
  }

  private static List<String> ids(TestServer server) throws Exception {
    return server.get("/api/sessions").body().path("sessions").findValuesAsText("id");
  }

  @Test
  void sessionsRunsTranscriptsAndLiveEventsAreSharedAndOneServerRunsASessionAtATime()
      throws Exception {
    try (TestServer a = TestServer.start(rootA, options -> options.sessionStore(store));
        TestServer b = TestServer.start(rootB, options -> options.sessionStore(store))) {
      TestServer.Response created = a.post("/api/sessions", Map.of("id", "shared"));
      assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
      assertThat(ids(b)).containsExactly("shared");

      try (EventClient onB = b.connect("shared")) {
        a.model("shared").reply(block("print('working on A')"));
        a.run("shared", "Work on A");
        // The run started on A is seen live by a client of B.
        List<JsonNode> seen =
            onB.until(
                m ->
                    m.path("event").asText().equals("tool_result")
                        || m.toString().contains("working on A"));
        assertThat(seen).extracting(m -> m.path("event").asText()).contains("start", "step");

        // While A runs it, B refuses to run it and says where it runs.
        TestServer.Response refused =
            b.post("/api/sessions/shared/runs", Map.of("task", "Work on B too"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().toString())
            .contains("session 'shared' is running on host")
            .contains("(pid " + ProcessHandle.current().pid() + ")");
        assertThat(b.get("/api/sessions/shared").body().path("running_elsewhere").asText())
            .contains("pid " + ProcessHandle.current().pid());

        a.model("shared").reply(block("done('finished on A')"));
        assertThat(onB.until("run_end").getLast().toString()).contains("finished on A");
      }

      // The transcript is read on B without taking the session from anyone.
      JsonNode transcript = b.get("/api/sessions/shared/messages").body().path("messages");
      assertThat(transcript.size()).isEqualTo(5);
      assertThat(transcript.toString()).contains("Work on A").contains("finished on A");

      // A released the session when its run ended: B can run it now, and A's clients see it.
      try (EventClient onA = a.connect("shared")) {
        b.model("shared").reply(block("done('finished on B')"));
        b.run("shared", "Work on B");
        assertThat(onA.until("run_end").getLast().toString()).contains("finished on B");
      }
      assertThat(a.get("/api/sessions/shared/messages").body().path("messages").size())
          .isEqualTo(8);
      assertThat(a.get("/api/sessions/shared").body().path("message_count").asInt()).isEqualTo(8);

      assertThat(b.delete("/api/sessions/shared").status()).isEqualTo(204);
      assertThat(ids(a)).isEmpty();
    }
  }
}
