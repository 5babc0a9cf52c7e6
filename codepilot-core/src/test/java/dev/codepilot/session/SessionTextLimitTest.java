package dev.codepilot.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.internal.Json;
import dev.codepilot.model.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The longest string a session file holds is one limit for writer and reader: what is saved can be
 * loaded, and what is longer is refused on both sides with a message naming the file.
 */
class SessionTextLimitTest {

  private static final int LIMIT = Json.MAX_STORED_STRING_LENGTH;

  @TempDir Path dir;

  @Test
  void aMessageOfExactlyTheLimitIsSavedAndLoadedBack() {
    // Characters outside ASCII and ones JSON escapes count as one character each, as in Java.
    String longest = "é\"\n".repeat(LIMIT / 3) + "x".repeat(LIMIT % 3);
    try (FileSession session = new FileSession("s", "a", dir)) {
      session.save(List.of(Message.user("task"), Message.assistant(longest)));
    }
    try (FileSession session = new FileSession("s", "a", dir)) {
      assertThat(session.load().get(1).content()).isEqualTo(longest);
    }
  }

  @Test
  void aLongerMessageIsNotWrittenAndTheSavedHistoryStays() throws Exception {
    try (FileSession session = new FileSession("s", "a", dir)) {
      session.save(List.of(Message.user("task")));
      byte[] before = Files.readAllBytes(session.path());
      assertThatThrownBy(
              () ->
                  session.save(
                      List.of(Message.user("task"), Message.assistant("x".repeat(LIMIT + 1)))))
          .isInstanceOf(SessionException.class)
          .hasMessageContaining(session.path().toString())
          .hasMessageContaining("messages[1].content has " + (LIMIT + 1) + " characters")
          .hasMessageContaining("the previously saved history is unchanged");
      assertThat(Files.readAllBytes(session.path())).isEqualTo(before);
    }
  }

  @Test
  void aFileWithALongerStringIsRefusedAndKeptAside() throws Exception {
    Path file = dir.resolve("s.json");
    Files.writeString(
        file,
        "{\"session_id\": \"s\", \"agent_name\": \"a\", \"created_at\": 1.0,"
            + " \"updated_at\": 2.0, \"messages\": [{\"role\": \"user\", \"content\": \"task\"},"
            + " {\"role\": \"assistant\", \"content\": \""
            + "y".repeat(LIMIT + 5)
            + "\"}]}\n",
        StandardCharsets.UTF_8);

    assertThatThrownBy(() -> FileSession.readMessages(dir, "s"))
        .isInstanceOf(SessionException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(
            "messages[1].content has "
                + (LIMIT + 5)
                + " characters, more"
                + " than the "
                + LIMIT
                + " a session file may hold");
    try (FileSession session = new FileSession("s", "a", dir)) {
      assertThatThrownBy(session::load)
          .isInstanceOf(SessionException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("messages[1].content has " + (LIMIT + 5) + " characters")
          .hasMessageContaining("It was kept as");
      // Moved aside, not lost; the session starts over.
      assertThat(session.load()).isEmpty();
    }
    try (var aside = Files.list(dir)) {
      assertThat(aside.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("s.json.corrupt-"));
    }
  }

  @Test
  void aLongerAgentNameIsNotWritten() {
    try (FileSession session = new FileSession("s", "n".repeat(LIMIT + 1), dir)) {
      assertThatThrownBy(() -> session.save(List.of(Message.user("task"))))
          .isInstanceOf(SessionException.class)
          .hasMessageContaining("agent_name has " + (LIMIT + 1) + " characters");
      assertThat(session.exists()).isFalse();
    }
  }
}
