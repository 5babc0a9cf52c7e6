package dev.codepilot.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.model.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSessionListingTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;

  private final TestClock clock = new TestClock(START);

  @Test
  void listsSessionsNewestUpdateFirstAndReportsTheFilesItSkipped() throws IOException {
    saveAt("oldest", 1, Duration.ZERO);
    saveAt("newest", 3, Duration.ofHours(2));
    saveAt("middle", 2, Duration.ofHours(1));
    Files.writeString(dir.resolve("broken.json"), "{\"session_id\": \"broken\", \"messages\": [");
    Files.writeString(dir.resolve("bad name.json"), "{}");
    Files.writeString(dir.resolve("notes.txt"), "not a session");
    Files.writeString(dir.resolve("oldest.json.corrupt-20260101T000000Z"), "kept aside");
    Files.writeString(dir.resolve(".newest.json.0123456789abcdef.tmp"), "half a save");
    Files.createDirectory(dir.resolve("folder.json"));

    SessionListing listing = FileSession.list(dir);

    assertThat(listing.sessions())
        .extracting(SessionInfo::sessionId)
        .containsExactly("newest", "middle", "oldest");
    SessionInfo newest = listing.sessions().get(0);
    assertThat(newest.agentName()).isEqualTo("Agent newest");
    assertThat(newest.messageCount()).isEqualTo(3);
    assertThat(newest.createdAt()).isEqualTo(START.plus(Duration.ofHours(2)));
    assertThat(newest.updatedAt()).isEqualTo(START.plus(Duration.ofHours(2)));
    assertThat(newest.path()).isEqualTo(dir.resolve("newest.json"));

    assertThat(listing.skipped())
        .extracting(SessionListing.Skipped::path)
        .containsExactly(dir.resolve("bad name.json"), dir.resolve("broken.json"));
    assertThat(listing.skipped().get(0).reason())
        .startsWith("the file name is not a valid session id");
    assertThat(listing.skipped().get(1).reason()).contains("truncated").contains("line 1");
    // Listing is read-only: the damaged file stays where it is.
    assertThat(dir.resolve("broken.json")).exists();
  }

  @Test
  void sessionsUpdatedAtTheSameTimeAreListedByIdForAStableOrder() {
    saveAt("b", 1, Duration.ZERO);
    saveAt("a", 1, Duration.ZERO);

    assertThat(FileSession.list(dir).sessions())
        .extracting(SessionInfo::sessionId)
        .containsExactly("a", "b");
  }

  @Test
  void aThrowAwayInstanceListsWithoutLockingOrCreatingAnything() throws IOException {
    saveAt("one", 1, Duration.ZERO);
    saveAt("two", 2, Duration.ofMinutes(1));
    List<Path> before = filesIn(dir);

    FileSession dummy = new FileSession("_", "_", dir);
    assertThat(dummy.listSessions())
        .extracting(SessionInfo::sessionId)
        .containsExactly("two", "one");
    assertThat(dummy.exists()).isFalse();
    assertThat(dummy.metadata()).isEmpty();
    dummy.close();

    assertThat(filesIn(dir)).isEqualTo(before);
  }

  @Test
  void aMissingDirectoryHasNoSessionsAndIsNotCreated() {
    Path missing = dir.resolve("not-yet");
    FileSession dummy = new FileSession("_", "_", missing);

    assertThat(dummy.listSessions()).isEmpty();
    assertThat(FileSession.list(missing).skipped()).isEmpty();
    assertThat(dummy.metadata()).isEmpty();
    assertThat(dummy.exists()).isFalse();
    assertThat(missing).doesNotExist();
  }

  @Test
  void theDefaultDirectoryIsUnderTheUserHomeAndCreatedOnFirstSave() {
    String home = System.getProperty("user.home");
    System.setProperty("user.home", dir.toString());
    try {
      Path expected = dir.resolve(".codepilot").resolve("sessions");
      assertThat(Sessions.defaultDirectory()).isEqualTo(expected);

      FileSession dummy = new FileSession("_", "_");
      assertThat(dummy.listSessions()).isEmpty();
      assertThat(dummy.path()).isEqualTo(expected.resolve("_.json"));
      assertThat(expected).doesNotExist();

      try (FileSession session = new FileSession("ecommerce-api", "BackendEngineer")) {
        session.save(List.of(Message.user("hi")));
      }
      assertThat(expected.resolve("ecommerce-api.json")).isRegularFile();
      assertThat(FileSession.list(null).sessions())
          .extracting(SessionInfo::sessionId)
          .containsExactly("ecommerce-api");
    } finally {
      System.setProperty("user.home", home);
    }
  }

  @Test
  void metadataCountsMessagesWithoutLoading() {
    saveAt("s", 7, Duration.ofSeconds(30));

    FileSession session = new FileSession("s", "Agent s", dir);
    SessionInfo info = session.metadata().orElseThrow();

    assertThat(info)
        .isEqualTo(
            new SessionInfo(
                "s",
                "Agent s",
                START.plusSeconds(30),
                START.plusSeconds(30),
                7,
                dir.resolve("s.json")));
    assertThat(FileSession.metadata(dir, "s")).contains(info);
    assertThat(FileSession.metadata(dir, "other")).isEmpty();
  }

  @Test
  void readMessagesShowsAHeldSessionWithoutLockingMovingOrCreatingAnything() throws IOException {
    Path missing = dir.resolve("not-yet");
    assertThat(FileSession.readMessages(missing, "s")).isEmpty();
    assertThat(missing).doesNotExist();
    try (FileSession held = new FileSession("s", "a", dir)) {
      held.save(List.of(Message.user("[USER INPUT]\nhi"), Message.assistant("hello")));

      assertThat(FileSession.readMessages(dir, "s"))
          .contains(List.of(Message.user("[USER INPUT]\nhi"), Message.assistant("hello")));
    }
    Files.writeString(dir.resolve("broken.json"), "{\"session_id\": \"broken\", \"messages\": [");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> FileSession.readMessages(dir, "broken"))
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("broken.json");
    assertThat(dir.resolve("broken.json")).exists();
  }

  @Test
  void existsFollowsSaveAndReset() {
    try (FileSession session = new FileSession("s", "a", dir)) {
      assertThat(session.exists()).isFalse();
      session.save(List.of(Message.user("hi")));
      assertThat(session.exists()).isTrue();

      session.reset();

      assertThat(session.exists()).isFalse();
      assertThat(session.path()).doesNotExist();
      assertThat(session.load()).isEmpty();
      session.reset();
      session.save(List.of(Message.user("again")));
      assertThat(session.load()).containsExactly(Message.user("again"));
    }
  }

  private void saveAt(String id, int messages, Duration after) {
    TestClock at = new TestClock(START.plus(after));
    try (FileSession session = new FileSession(id, "Agent " + id, dir, at)) {
      session.save(Stream.generate(() -> Message.user("m")).limit(messages).toList());
    }
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
