package dev.codepilot.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.codepilot.model.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSessionCrashTest {

  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(20);
  private static final Pattern SAVED = Pattern.compile("saved (\\d+) ok");
  private static final Pattern CONTENT = Pattern.compile("save (\\d+) message (\\d+) p+");

  @TempDir Path dir;

  @TempDir Path scratch;

  @ParameterizedTest(name = "killed {0} ms after the fifth save")
  @ValueSource(ints = {0, 3, 11})
  void processKilledWhileSavingLeavesOneCompleteSave(int delayMillis) throws Exception {
    int lastReported;
    try (ChildJvm child = ChildJvm.start(scratch, null, "save-loop", dir.toString(), "crash")) {
      child.awaitLine("saved 5 ok", CHILD_TIMEOUT);
      Thread.sleep(delayMillis);
      child.kill();
      lastReported =
          child.output().stream()
              .map(SAVED::matcher)
              .filter(Matcher::matches)
              .mapToInt(m -> Integer.parseInt(m.group(1)))
              .max()
              .orElseThrow();
    }

    assertThat(FileSession.list(dir).skipped()).isEmpty();
    try (FileSession session = new FileSession("crash", "reader", dir)) {
      List<Message> messages = session.load();
      int saveNumber = saveNumberOf(messages.get(0));
      // A save that returned is on disk; the one after it may or may not have completed.
      assertThat(saveNumber).isBetween(lastReported, lastReported + 1);
      assertThat(messages).isEqualTo(SessionChild.saveNumber(saveNumber));
      // Taking the lock cleared the temporary file the killed save may have left.
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("crash.json", "crash.lock");
      }
    }
  }

  @Test
  void saveThatRunsOutOfSpaceFailsAndKeepsThePreviousFile() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh for ulimit");
    try (FileSession session = new FileSession("full", "a", dir)) {
      session.save(List.of(Message.user("the history before the disk filled up")));
    }
    byte[] before = Files.readAllBytes(dir.resolve("full.json"));

    // A file size limit of 16 blocks (8 or 16 KiB) makes writing the 200 KB history fail
    // with "File too large", just as a full disk would.
    String result;
    try (ChildJvm child =
        ChildJvm.start(scratch, 16, "save-big", dir.toString(), "full", "200000")) {
      result = child.awaitLine("", CHILD_TIMEOUT);
    }

    assertThat(result)
        .startsWith("failed cannot save session 'full' to " + dir.resolve("full.json"))
        .contains("File too large")
        .contains("the previously saved history is unchanged");
    assertThat(Files.readAllBytes(dir.resolve("full.json"))).isEqualTo(before);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("full.json", "full.lock");
    }
  }

  private static int saveNumberOf(Message message) {
    Matcher m = CONTENT.matcher(message.content());
    assertThat(m.matches()).as("content of %s", message.content().substring(0, 30)).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
