package dev.codepilot.session;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.AgentRuntime;
import dev.codepilot.model.Message;
import dev.codepilot.session.Transcript.Entry;
import dev.codepilot.session.Transcript.Kind;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptTest {

  @TempDir Path workDir;

  @TempDir Path sessionDir;

  @Test
  void aSavedSessionReadsBackAsTypedEntriesWithoutTheirTags() throws Exception {
    String reply = block("print('hi')\ndone('said hi')");
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(new QueueModel().reply(reply))
            .consoleOutput(false)
            .session("file")
            .sessionId("greet")
            .sessionDir(sessionDir)
            .build()) {
      runtime.sendMessage("be brief");
      runtime.run("Say hi");
    }

    List<Message> stored = FileSession.readMessages(sessionDir, "greet").orElseThrow();
    Transcript transcript = Transcript.of(stored);

    assertThat(transcript.entries())
        .extracting(Entry::kind)
        .containsExactly(Kind.TASK, Kind.USER_MESSAGE, Kind.REPLY, Kind.EXECUTION_RESULT);
    assertThat(transcript.entries())
        .extracting(Entry::text)
        .containsExactly("Say hi", "be brief", reply, "hi");
    assertThat(transcript.entries()).extracting(Entry::message).isEqualTo(stored);
    assertThat(transcript.entries(Kind.EXECUTION_RESULT))
        .singleElement()
        .extracting(Entry::text)
        .isEqualTo("hi");
    assertThat(transcript.size()).isEqualTo(4);
  }

  @Test
  void aKindMakesTheMessageTheLoopStoresAndReadsItBack() {
    for (Kind kind : Kind.values()) {
      if (kind == Kind.SUMMARY) {
        continue;
      }
      Message message = kind.message("some text\n[USER INPUT]\nnot a tag here");
      Entry entry = Transcript.entry(message);
      assertThat(entry.kind()).isEqualTo(kind);
      assertThat(entry.text()).isEqualTo("some text\n[USER INPUT]\nnot a tag here");
    }
    assertThat(Kind.TASK.message("t")).isEqualTo(Message.user("[USER INPUT]\nt"));
    assertThat(Kind.REPLY.message("r")).isEqualTo(Message.assistant("r"));
  }

  @Test
  void anUntaggedUserMessageIsOtherAndAnAssistantMessageIsAReplyWhateverItStartsWith() {
    assertThat(Transcript.entry(Message.user("[USER INPUT] no newline")).kind())
        .isEqualTo(Kind.OTHER);
    assertThat(Transcript.entry(Message.assistant("[EXECUTION RESULT]\nx")))
        .isEqualTo(
            new Entry(
                Kind.REPLY, "[EXECUTION RESULT]\nx", Message.assistant("[EXECUTION RESULT]\nx")));
  }

  @Test
  void aSummaryRecordReadsAsASummaryWithoutItsHeader() {
    Entry entry = Transcript.entry(Message.user("[CONTEXT SUMMARY up to 15]\nDid a, then b."));
    assertThat(entry.kind()).isEqualTo(Kind.SUMMARY);
    assertThat(entry.text()).isEqualTo("Did a, then b.");
    assertThatThrownBy(() -> Kind.SUMMARY.message("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theViewIsReadOnly() {
    Transcript transcript = Transcript.of(List.of(Message.user("[USER INPUT]\nx")));
    assertThatThrownBy(() -> transcript.entries().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
