package dev.codepilot;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.model.ChatModel;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.InMemorySession;
import dev.codepilot.session.Session;
import dev.codepilot.session.SessionException;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import dev.codepilot.tools.PyType;
import dev.codepilot.tools.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime with a file-backed session: resume, per-step saves, reset, exclusive use. */
class FileSessionRuntimeTest {

  @TempDir Path workDir;

  @TempDir Path sessionDir;

  private AgentRuntime fileRuntime(String id, ChatModel model) throws Exception {
    return AgentRuntime.builder(TestAgents.config(workDir))
        .model(model)
        .consoleOutput(false)
        .session("file")
        .sessionId(id)
        .sessionDir(sessionDir)
        .build();
  }

  @Test
  void aSecondRuntimeWithTheSameIdResumesTheConversation() throws Exception {
    try (AgentRuntime first =
        fileRuntime("ecommerce-api", new QueueModel().reply(block("done('made the endpoints')")))) {
      first.run("Create the endpoints");
    }
    QueueModel model = new QueueModel().reply(block("done('added migrations')"));
    try (AgentRuntime second = fileRuntime("ecommerce-api", model)) {
      assertThat(second.messages()).hasSize(3);
      second.run("Add migrations");
      assertThat(model.lastRequest().messages())
          .extracting(Message::content)
          .containsExactly(
              "[USER INPUT]\nCreate the endpoints",
              block("done('made the endpoints')"),
              "[EXECUTION RESULT]\n[Control block executed with no output.]",
              "[USER INPUT]\nAdd migrations");
    }
    assertThat(FileSession.metadata(sessionDir, "ecommerce-api"))
        .hasValueSatisfying(
            info -> {
              assertThat(info.messageCount()).isEqualTo(6);
              assertThat(info.agentName()).isEqualTo("Test Agent");
            });
  }

  @Test
  void everyCompletedStepIsSavedBeforeTheNextBlockRuns() throws Exception {
    List<Integer> savedWhenBlocksRan = new ArrayList<>();
    QueueModel script =
        new QueueModel()
            .reply(
                block("saved_messages()"),
                block("saved_messages()"),
                block("saved_messages()\ndone()"));
    try (AgentRuntime runtime = fileRuntime("steps", script)) {
      runtime.registerTool(
          Tools.builder("saved_messages")
              .description("How many messages the session file holds.")
              .handler(
                  call -> {
                    savedWhenBlocksRan.add(
                        FileSession.metadata(sessionDir, "steps")
                            .map(info -> info.messageCount())
                            .orElse(-1));
                    return null;
                  })
              .build());
      runtime.run("Three steps");
      // run() returns once the last step is saved too
      assertThat(FileSession.metadata(sessionDir, "steps").orElseThrow().messageCount())
          .isEqualTo(7);
    }
    // the task is saved before the first block runs; each later block sees every step before it
    assertThat(savedWhenBlocksRan).containsExactly(1, 3, 5);
  }

  @Test
  void aFailedSaveEndsTheRunBeforeTheNextBlockRuns() throws Exception {
    List<String> ran = new ArrayList<>();
    QueueModel script = new QueueModel().reply(block("mark('one')"), block("mark('two')"));
    InMemorySession memory = new InMemorySession("failing");
    Session failing =
        new Session() {
          @Override
          public String sessionId() {
            return memory.sessionId();
          }

          @Override
          public List<Message> load() {
            return memory.load();
          }

          @Override
          public void save(List<Message> messages) {
            if (messages.size() > 1) {
              throw new SessionException("disk full", sessionDir);
            }
            memory.save(messages);
          }

          @Override
          public void reset() {
            memory.reset();
          }
        };
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(script)
            .consoleOutput(false)
            .session(failing)
            .build()) {
      runtime.registerTool(
          Tools.builder("mark")
              .description("Records a mark.")
              .param("text", PyType.STR)
              .handler(call -> ran.add(call.string("text")))
              .build());
      RunResult result = runtime.run("Two steps");
      assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
      assertThat(result.error())
          .hasValueSatisfying(
              e -> assertThat(e).contains("the session could not be saved").contains("disk full"));
    }
    assertThat(ran).containsExactly("one");
  }

  @Test
  void resetDeletesTheSessionFile() throws Exception {
    try (AgentRuntime runtime = fileRuntime("wipe-me", new QueueModel().reply(block("done()")))) {
      runtime.run("Something");
      assertThat(FileSession.metadata(sessionDir, "wipe-me")).isPresent();
      runtime.reset();
      assertThat(FileSession.metadata(sessionDir, "wipe-me")).isEmpty();
      assertThat(runtime.messages()).isEmpty();
    }
  }

  @Test
  void aSessionInUseByAnotherRuntimeIsRefused() throws Exception {
    try (AgentRuntime first = fileRuntime("busy", new QueueModel())) {
      assertThatThrownBy(() -> fileRuntime("busy", new QueueModel()))
          .isInstanceOf(SessionException.class)
          .hasMessageContaining("in use");
    }
    try (AgentRuntime again = fileRuntime("busy", new QueueModel())) {
      assertThat(again.messages()).isEmpty();
    }
  }

  @Test
  void theDefaultSessionIdIsTheAgentNameInLowerCaseWithHyphens() throws Exception {
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(new QueueModel())
            .consoleOutput(false)
            .session("file")
            .sessionDir(sessionDir)
            .build()) {
      assertThat(runtime.session().sessionId()).isEqualTo("test-agent");
    }
  }
}
