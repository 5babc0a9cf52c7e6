package dev.codepilot.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.model.Message;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {

  @TempDir Path dir;

  @Test
  void memoryBackendKeepsHistoryInMemoryOnly() {
    Session session = Sessions.create("memory", "m", "agent", dir);
    session.save(List.of(Message.user("hi")));

    assertThat(session).isInstanceOf(InMemorySession.class);
    assertThat(session.sessionId()).isEqualTo("m");
    assertThat(session.load()).containsExactly(Message.user("hi"));
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void fileBackendStoresUnderTheGivenDirectory() {
    try (Session session = Sessions.create("file", "f", "agent", dir)) {
      session.save(List.of(Message.user("hi")));

      assertThat(session)
          .isInstanceOfSatisfying(
              FileSession.class, file -> assertThat(file.path()).isEqualTo(dir.resolve("f.json")));
    }
    assertThat(dir.resolve("f.json")).isRegularFile();
  }

  @Test
  void unknownBackendIsRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> Sessions.create("sqlite", "s", "agent", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown session backend 'sqlite' (expected 'memory' or 'file')");
    assertThatThrownBy(() -> Sessions.create(null, "s", "agent", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'memory' or 'file'");
  }
}
