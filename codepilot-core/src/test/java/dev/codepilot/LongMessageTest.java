package dev.codepilot;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.internal.Json;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.Message;
import dev.codepilot.model.Role;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages longer than a session file may hold: they are cut, with a note, before they are used or
 * saved, so that the session can always be resumed.
 */
class LongMessageTest {

  private static final int LIMIT = Json.MAX_STORED_STRING_LENGTH;
  private static final int OVER = 25_000_000;

  @TempDir Path workDir;

  @TempDir Path sessionDir;

  private AgentRuntime fileRuntime(ChatModel model) throws Exception {
    return AgentRuntime.builder(TestAgents.config(workDir))
        .model(model)
        .consoleOutput(false)
        .session("file")
        .sessionId("long")
        .sessionDir(sessionDir)
        .build();
  }

  @Test
  void aReplyOverTheLimitIsCutBeforeItRunsAndTheSessionResumes() throws Exception {
    String reply = block("print('ran')") + "\n" + "z".repeat(OVER);
    try (AgentRuntime first = fileRuntime(new QueueModel().reply(reply))) {
      first.run("Start");
    }

    QueueModel model = new QueueModel().reply(block("done('resumed')"));
    try (AgentRuntime second = fileRuntime(model)) {
      assertThat(second.run("Go on").summary()).contains("resumed");
    }
    List<Message> shown = model.lastRequest().messages();
    Message cut = shown.get(1);
    assertThat(cut.role()).isEqualTo(Role.ASSISTANT);
    assertThat(cut.content())
        .hasSize(LIMIT)
        .startsWith(block("print('ran')"))
        .endsWith(
            "\n[... reply cut: "
                + (reply.length() - LIMIT)
                + " chars over the limit of "
                + LIMIT
                + " ...]");
    // The block in the kept head ran.
    assertThat(shown.get(2).content()).contains("ran");
  }

  @Test
  void aReplyCutInsideItsBlockRunsNothing() throws Exception {
    String reply = "```python\nprint('never')\n" + "# padding\n".repeat(OVER / 10) + "```";
    QueueModel model = new QueueModel().reply(reply, block("done('ok')"));
    try (AgentRuntime runtime = fileRuntime(model)) {
      runtime.run("Start");
    }
    String result = model.lastRequest().messages().get(2).content();
    assertThat(result).contains("cut off").doesNotContain("never");
  }

  @Test
  void aTaskOverTheLimitIsCutAndTheSessionResumes() throws Exception {
    try (AgentRuntime first = fileRuntime(new QueueModel().reply(block("done('read it')")))) {
      first.run("a".repeat(OVER));
    }
    QueueModel model = new QueueModel().reply(block("done('again')"));
    try (AgentRuntime second = fileRuntime(model)) {
      second.run("Go on");
    }
    String task = model.lastRequest().messages().get(0).content();
    assertThat(task)
        .hasSize(LIMIT)
        .endsWith(" chars over the limit of " + LIMIT + " ...]")
        .contains("[... message cut: ");
  }
}
