package dev.codepilot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.session.SessionException;
import dev.codepilot.testing.postgres.PostgresServer;
import dev.codepilot.tools.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A runtime whose agent file keeps its session in PostgreSQL. */
class PostgresRuntimeTest {

  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @TempDir Path dir;

  private String url;
  private Path agentFile;

  @BeforeEach
  void agentFileWithAPostgresSession() throws Exception {
    url = PG.newDatabase();
    agentFile =
        Files.writeString(
            dir.resolve("agent.yaml"),
            """
        agent:
          name: Backend Engineer
          model: {provider: openai, name: unused}
          runtime: {work_dir: ./work}
          session:
            backend: postgres
            url: "%s"
            user: %s
            password: %s
        """
                .formatted(url, PostgresServer.USER, PostgresServer.PASSWORD));
  }

  /** Replies from a queue; keeps what each request showed. */
  private static final class Script implements ChatModel {
    final ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();
    final List<ModelRequest> requests = new ArrayList<>();

    Script(String... blocks) {
      for (String code : blocks) {
        replies.add("```python\n" + code + "\n```");
      }
    }

    @Override
    public synchronized ModelReply complete(ModelRequest request) throws ModelException {
      requests.add(request);
      String next = replies.poll();
      if (next == null) {
        throw new ModelException("no scripted reply left");
      }
      return ModelReply.of(next);
    }
  }

  private AgentRuntime runtime(ChatModel model) throws Exception {
    return AgentRuntime.builder(agentFile).model(model).sessionId("api").build();
  }

  private PostgresSessionStore store() {
    return PostgresSessionStore.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
  }

  @Test
  void theAgentFilesSessionSectionKeepsTheHistoryInTheDatabase() throws Exception {
    List<Integer> savedWhenBlocksRan = new ArrayList<>();
    try (PostgresSessionStore store = store()) {
      try (AgentRuntime first = runtime(new Script("saved()", "saved()\ndone('ok')"))) {
        assertThat(first.session().toString()).contains("PostgresSession[api in postgresql://");
        first.registerTool(
            Tools.builder("saved")
                .description("How many messages are saved.")
                .handler(
                    call -> {
                      savedWhenBlocksRan.add(
                          store.metadata("api").map(i -> i.messageCount()).orElse(0));
                      return null;
                    })
                .build());
        assertThat(first.run("Build the API").outcome()).isEqualTo(RunResult.Outcome.FINISHED);
        assertThatThrownBy(() -> runtime(new Script()))
            .isInstanceOf(SessionException.class)
            .hasMessageContaining("session 'api' is running on host");
      }
      // Every completed step is saved before the next block runs.
      assertThat(savedWhenBlocksRan).containsExactly(1, 3);
      assertThat(store.metadata("api").orElseThrow().messageCount()).isEqualTo(5);

      Script model = new Script("done('resumed')");
      try (AgentRuntime second = runtime(model)) {
        assertThat(second.messages()).hasSize(5);
        second.run("Add tests");
        assertThat(model.requests.getFirst().messages())
            .extracting(Message::content)
            .contains("[USER INPUT]\nBuild the API", "[USER INPUT]\nAdd tests");
      }
      assertThat(store.readMessages("api").orElseThrow()).hasSize(8);
    }
  }

  @Test
  void theBuilderUrlWinsOverTheAgentFile() throws Exception {
    String other = PG.newDatabase();
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile)
            .model(new Script("done()"))
            .sessionId("elsewhere")
            .sessionStore(
                other + "?user=" + PostgresServer.USER + "&password=" + PostgresServer.PASSWORD)
            .build()) {
      runtime.run("Go");
    }
    try (PostgresSessionStore store = store();
        PostgresSessionStore otherStore =
            PostgresSessionStore.open(other, PostgresServer.USER, PostgresServer.PASSWORD)) {
      assertThat(store.list()).isEmpty();
      assertThat(otherStore.metadata("elsewhere")).isPresent();
    }
  }

  @Test
  void whenTheDatabaseGoesDownTheRunStopsAfterTheStepAndResumesLater() throws Exception {
    Script model = new Script("stop_database()", "after_failure()");
    List<String> ranAfterFailure = new ArrayList<>();
    RunResult result;
    try (AgentRuntime runtime = runtime(model)) {
      runtime.registerTool(
          Tools.builder("stop_database")
              .description("Stops PostgreSQL.")
              .handler(
                  call -> {
                    try {
                      PG.stop();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    return null;
                  })
              .build());
      runtime.registerTool(
          Tools.builder("after_failure")
              .description("Must not run.")
              .handler(
                  call -> {
                    ranAfterFailure.add("ran");
                    return null;
                  })
              .build());
      try {
        result = runtime.run("Work while the database fails");
      } finally {
        PG.startServer();
      }
    }
    assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
    assertThat(result.error())
        .get()
        .asString()
        .contains("the session could not be saved")
        .contains("session 'api'");
    assertThat(ranAfterFailure).as("no block ran after the failed save").isEmpty();

    // The task was saved before the first block ran; the step that could not be saved is not
    // there, and nothing half of it.
    try (PostgresSessionStore store = store()) {
      List<Message> saved = store.readMessages("api").orElseThrow();
      assertThat(saved)
          .extracting(Message::content)
          .containsExactly("[USER INPUT]\nWork while the database fails");
      assertThat(store.metadata("api").orElseThrow().messageCount()).isEqualTo(saved.size());
    }
    try (AgentRuntime again = runtime(new Script("done('back')"))) {
      assertThat(again.messages()).hasSize(1);
      assertThat(again.run("Try again").outcome()).isEqualTo(RunResult.Outcome.FINISHED);
    }
  }

  @Test
  void aWrongPasswordInTheAgentFileFailsTheBuildWithOneClearMessage() throws Exception {
    Files.writeString(
        agentFile,
        Files.readString(agentFile)
            .replace("password: " + PostgresServer.PASSWORD, "password: wrong"));
    assertThatThrownBy(() -> runtime(new Script()))
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("cannot connect to the session store postgresql://127.0.0.1:")
        .hasMessageContaining("password authentication failed");
  }
}
