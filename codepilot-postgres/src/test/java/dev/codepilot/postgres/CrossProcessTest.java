package dev.codepilot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.model.Message;
import dev.codepilot.session.SessionException;
import dev.codepilot.testing.postgres.PostgresServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Writers in other JVMs: resume where another process stopped, and take over from a kill -9. */
class CrossProcessTest {

  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private String url;

  @BeforeEach
  void newDatabase() throws SQLException {
    url = PG.newDatabase();
  }

  private Process child(String id, int steps, long holdMillis) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            ChildWriter.class.getName(),
            url,
            PostgresServer.USER,
            PostgresServer.PASSWORD,
            id,
            String.valueOf(steps),
            String.valueOf(holdMillis))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static List<Message> steps(int from, int to) {
    List<Message> list = new ArrayList<>();
    for (int step = from; step <= to; step++) {
      list.add(Message.assistant("step " + step));
      list.add(Message.user("result " + step));
    }
    return list;
  }

  /** Reads the child's lines until one equals {@code last}; returns them all. */
  private static List<String> readUntil(BufferedReader out, String last) throws IOException {
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null) {
      lines.add(line);
      if (line.equals(last) || line.startsWith("refused")) {
        break;
      }
    }
    return lines;
  }

  @Test
  void aSessionIsResumedByTheNextProcess() throws Exception {
    Process first = child("resume", 3, 0);
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isZero();

    try (PostgresSessionStore store =
        PostgresSessionStore.open(url, PostgresServer.USER, PostgresServer.PASSWORD)) {
      assertThat(store.readMessages("resume")).contains(steps(1, 3));
      Process second = child("resume", 5, 0);
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(readUntil(out, "holding")).containsExactly("saved 4", "saved 5", "holding");
      }
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(store.readMessages("resume")).contains(steps(1, 5));
      assertThat(store.metadata("resume").orElseThrow().agentName()).isEqualTo("Child Agent");
    }
  }

  @Test
  void afterTheOwnerIsKilledAnotherProcessTakesOverWithinThirtySeconds() throws Exception {
    Process owner = child("killed", 4, 600_000);
    try (PostgresSessionStore store =
            PostgresSessionStore.open(url, PostgresServer.USER, PostgresServer.PASSWORD);
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(readUntil(out, "holding")).endsWith("saved 4", "holding");

      PostgresSession refused = store.open("killed", "Parent");
      assertThatThrownBy(refused::load)
          .isInstanceOf(SessionException.class)
          .hasMessageContaining("session 'killed' is running on host ")
          .hasMessageContaining("(pid " + owner.pid() + ") since ");
      refused.close();

      owner.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the database
      assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long killedAt = System.nanoTime();
      List<Message> loaded = null;
      while (loaded == null) {
        PostgresSession next = store.open("killed", "Parent");
        try {
          loaded = next.load();
          List<Message> continued = new ArrayList<>(loaded);
          continued.addAll(steps(5, 5));
          next.save(continued);
          next.close();
        } catch (SessionException stillHeld) {
          next.close();
          assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
              .isLessThan(Duration.ofSeconds(30));
          Thread.sleep(200);
        }
      }
      assertThat(loaded).as("every step the owner completed").isEqualTo(steps(1, 4));
      assertThat(store.readMessages("killed")).contains(steps(1, 5));
    } finally {
      owner.destroyForcibly();
    }
  }

  @Test
  void aSecondProcessIsRefusedWhileTheFirstRuns() throws Exception {
    Process owner = child("shared", 1, 600_000);
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
      readUntil(out, "holding");
      Process second = child("shared", 2, 0);
      try (BufferedReader secondOut =
          new BufferedReader(
              new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(readUntil(secondOut, "holding"))
            .singleElement()
            .asString()
            .startsWith("refused: session 'shared' is running on host ")
            .contains("(pid " + owner.pid() + ")");
      }
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(3);
    } finally {
      owner.destroyForcibly();
      owner.waitFor();
    }
  }
}
