package dev.codepilot.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.internal.Json;
import dev.codepilot.model.Message;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSessionFormatTest {

  private static final Instant START = Instant.parse("2024-04-05T19:34:38.250Z");

  @TempDir Path dir;

  private final TestClock clock = new TestClock(START);

  private final List<Message> history =
      List.of(
          Message.user("[USER INPUT]\nbuild it"),
          Message.assistant("```python\nprint(\"héllo ✓\")\n```"),
          Message.user("[EXECUTION RESULT]\nhéllo ✓\n\t\"quoted\" \\ backslash \u0000 nul"));

  @Test
  void savedFileHasTheReferenceFieldsWithEpochSecondsAndPlainMessages() throws IOException {
    try (FileSession session = new FileSession("ecommerce-api", "BackendEngineer", dir, clock)) {
      session.save(history);
    }

    JsonNode root = Json.mapper().readTree(dir.resolve("ecommerce-api.json").toFile());
    assertThat(root.properties())
        .extracting(e -> e.getKey())
        .containsExactly("session_id", "agent_name", "created_at", "updated_at", "messages");
    assertThat(root.get("session_id").asText()).isEqualTo("ecommerce-api");
    assertThat(root.get("agent_name").asText()).isEqualTo("BackendEngineer");
    assertThat(root.get("created_at").isFloatingPointNumber()).isTrue();
    assertThat(root.get("created_at").decimalValue()).isEqualByComparingTo("1712345678.25");
    assertThat(root.get("updated_at").decimalValue()).isEqualByComparingTo("1712345678.25");
    JsonNode messages = root.get("messages");
    assertThat(messages).hasSize(3);
    for (int i = 0; i < history.size(); i++) {
      JsonNode message = messages.get(i);
      assertThat(message.properties())
          .extracting(e -> e.getKey())
          .containsExactly("role", "content");
      assertThat(message.get("role").asText()).isEqualTo(history.get(i).role().wireName());
      assertThat(message.get("content").asText()).isEqualTo(history.get(i).content());
    }
  }

  @Test
  void wholeSecondsAreWrittenAsFloats() throws IOException {
    clock.advance(Duration.ofMillis(750));
    try (FileSession session = new FileSession("s", "a", dir, clock)) {
      session.save(List.of());
    }

    String text = Files.readString(dir.resolve("s.json"));
    assertThat(text).contains("\"created_at\": 1712345679.0,").contains("\"messages\": []");
  }

  @Test
  void messagesRoundTripExactly() {
    try (FileSession session = new FileSession("s", "a", dir, clock)) {
      session.save(history);
    }
    try (FileSession session = new FileSession("s", "a", dir, clock)) {
      assertThat(session.load()).isEqualTo(history);
    }
  }

  @Test
  void createdAtIsKeptAcrossSavesAndInstancesWhileUpdatedAtMoves() {
    try (FileSession first = new FileSession("s", "a", dir, clock)) {
      first.save(history.subList(0, 1));
      clock.advance(Duration.ofMinutes(5));
      first.save(history.subList(0, 2));
    }
    clock.advance(Duration.ofHours(1));
    try (FileSession second = new FileSession("s", "a", dir, clock)) {
      // No load first: the header of the existing file still supplies created_at.
      second.save(history);
    }

    SessionInfo info = FileSession.metadata(dir, "s").orElseThrow();
    assertThat(info.createdAt()).isEqualTo(START);
    assertThat(info.updatedAt()).isEqualTo(START.plus(Duration.ofMinutes(65)));
    assertThat(info.messageCount()).isEqualTo(3);
  }

  @Test
  void resetStartsANewCreatedAt() {
    try (FileSession session = new FileSession("s", "a", dir, clock)) {
      session.save(history);
      session.reset();
      clock.advance(Duration.ofSeconds(10));
      session.save(history);
    }

    assertThat(FileSession.metadata(dir, "s").orElseThrow().createdAt())
        .isEqualTo(START.plusSeconds(10));
  }

  @Test
  void aSecondInstanceResumesTheSavedHistory() {
    try (FileSession first = new FileSession("ecommerce-api", "BackendEngineer", dir)) {
      assertThat(first.load()).isEmpty();
      first.save(history);
    }

    try (FileSession second = new FileSession("ecommerce-api", "BackendEngineer", dir)) {
      List<Message> resumed = second.load();
      assertThat(resumed).isEqualTo(history);
      second.save(append(resumed, Message.user("[USER INPUT]\nadd migrations")));
    }

    try (FileSession third = new FileSession("ecommerce-api", "BackendEngineer", dir)) {
      assertThat(third.load())
          .hasSize(4)
          .last()
          .isEqualTo(Message.user("[USER INPUT]\nadd migrations"));
    }
  }

  @Test
  void aReferenceFileWrittenByHandLoads() throws IOException {
    Path file = dir.resolve("ecommerce-api.json");
    try (InputStream in =
        Objects.requireNonNull(getClass().getResourceAsStream("/session/ecommerce-api.json"))) {
      Files.copy(in, file);
    }

    try (FileSession session = new FileSession("ecommerce-api", "BackendEngineer", dir)) {
      assertThat(session.exists()).isTrue();
      SessionInfo info = session.metadata().orElseThrow();
      assertThat(info.agentName()).isEqualTo("BackendEngineer");
      assertThat(info.createdAt()).isEqualTo(Instant.ofEpochSecond(1712345678));
      assertThat(info.updatedAt()).isEqualTo(Instant.ofEpochSecond(1712349999));
      assertThat(info.messageCount()).isEqualTo(3);
      assertThat(info.path()).isEqualTo(file);

      List<Message> messages = session.load();
      assertThat(messages)
          .extracting(Message::role)
          .extracting(r -> r.wireName())
          .containsExactly("user", "assistant", "user");
      assertThat(messages.get(0).content())
          .isEqualTo("[USER INPUT]\nCreate the products and orders FastAPI endpoints");
      assertThat(messages.get(1).content()).startsWith("```python\n").contains("FastAPI()");

      session.save(messages);
    }
    assertThat(FileSession.metadata(dir, "ecommerce-api").orElseThrow().createdAt())
        .isEqualTo(Instant.ofEpochSecond(1712345678));
  }

  @Test
  void integerTimestampsAndUnknownFieldsAreAccepted() throws IOException {
    Files.writeString(
        dir.resolve("s.json"),
        """
        {"version": 2, "session_id": "s", "agent_name": "", "created_at": 1712345678,
         "updated_at": 1712345679, "extra": {"nested": [1, 2]},
         "messages": [{"role": "user", "content": "hi", "name": "x"}]}
        """);

    try (FileSession session = new FileSession("s", "", dir)) {
      assertThat(session.load()).containsExactly(Message.user("hi"));
      assertThat(session.metadata().orElseThrow().updatedAt())
          .isEqualTo(Instant.ofEpochSecond(1712345679));
    }
  }

  @Test
  void savedFilesAreReadableByTheirOwnerOnly() throws IOException {
    try (FileSession session = new FileSession("s", "a", dir)) {
      session.save(history);
    }
    Path file = dir.resolve("s.json");
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void saveLeavesNoTemporaryFilesBehind() throws IOException {
    try (FileSession session = new FileSession("s", "a", dir)) {
      for (int i = 0; i < 5; i++) {
        session.save(history);
      }
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("s.json", "s.lock");
    }
  }

  private static List<Message> append(List<Message> messages, Message message) {
    var copy = new java.util.ArrayList<>(messages);
    copy.add(message);
    return copy;
  }
}
