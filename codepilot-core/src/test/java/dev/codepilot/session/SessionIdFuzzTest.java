package dev.codepilot.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Many generated ids and agent names, from a fixed seed so that every run checks the same. */
class SessionIdFuzzTest {

  /** Never created: constructing a FileSession touches no file. */
  private static final Path DIR = Path.of("/nonexistent-codepilot-test/sessions");

  private static final String TRICKY = "./\\:\u0000 \n\t-_aZ9\u2215\u2044\uFF0E\uFF0F\u00e9\u202E";

  @Test
  void anAcceptedIdNamesAFileDirectlyInsideTheDirectory() {
    forGeneratedStrings(
        id -> {
          FileSession session;
          try {
            session = new FileSession(id, "agent", DIR);
          } catch (IllegalArgumentException refused) {
            assertThat(refused).hasMessageStartingWith("invalid session id ");
            return;
          }
          assertThat(session.path().getParent()).as(id).isEqualTo(DIR);
          assertThat(session.path().getFileName().toString()).as(id).isEqualTo(id + ".json");
          assertThat(session.path().normalize()).as(id).isEqualTo(session.path());
          assertThat(id)
              .matches("[A-Za-z0-9_-]([A-Za-z0-9._-]{0,126}[A-Za-z0-9_-])?")
              .doesNotContain("..");
        });
  }

  @Test
  void theDefaultIdOfAnyAgentNameIsAccepted() {
    forGeneratedStrings(
        agentName -> {
          String id = Sessions.defaultSessionId(agentName);
          assertThat(new FileSession(id, agentName, DIR).path().getParent())
              .as(agentName)
              .isEqualTo(DIR);
        });
  }

  private static void forGeneratedStrings(Consumer<String> check) {
    Random random = new Random(20240405);
    for (int i = 0; i < 5000; i++) {
      int length = random.nextInt(i % 10 == 0 ? 140 : 10);
      StringBuilder text = new StringBuilder(length);
      for (int c = 0; c < length; c++) {
        text.append(
            switch (i % 3) {
              case 0 -> TRICKY.charAt(random.nextInt(TRICKY.length()));
              case 1 -> "abcXYZ019.-_".charAt(random.nextInt(12));
              default -> (char) random.nextInt(0x3000);
            });
      }
      check.accept(text.toString());
    }
  }
}
