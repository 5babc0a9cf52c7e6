package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codepilot.internal.Json;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reply longer than a session file may hold, replayed by {@code codepilot run}. */
class LongReplyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aReplyOverTheLimitIsCutAndTheNextProcessResumesTheSession() throws Exception {
    String huge = "```python\nprint('ran')\n```\n" + "w".repeat(25_000_000);
    Path sessions = dir.resolve("sessions");
    Cli.Result first =
        Cli.run(
            dir,
            "run",
            agent("first.yaml", "first.json", List.of(huge)).toString(),
            "start",
            "--session",
            "file",
            "--session-id",
            "big",
            "--session-dir",
            sessions.toString());
    assertThat(first.stderr()).doesNotContain("Exception");

    Cli.Result second =
        Cli.run(
            dir,
            "run",
            agent("second.yaml", "second.json", List.of("```python\ndone('resumed')\n```"))
                .toString(),
            "go on",
            "--session",
            "file",
            "--session-id",
            "big",
            "--session-dir",
            sessions.toString());
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stdout()).contains("Resuming session 'big'").contains("resumed");

    List<Message> saved = FileSession.readMessages(sessions, "big").orElseThrow();
    assertThat(saved.get(1).content())
        .hasSize(Json.MAX_STORED_STRING_LENGTH)
        .startsWith("```python\nprint('ran')\n```")
        .endsWith(
            "[... reply cut: "
                + (huge.length() - Json.MAX_STORED_STRING_LENGTH)
                + " chars over the limit of "
                + Json.MAX_STORED_STRING_LENGTH
                + " ...]");
    assertThat(saved.get(2).content()).contains("ran");
  }

  @Test
  void aSessionFileWithAStringOverTheLimitIsRefusedNamingTheFile() throws Exception {
    Path sessions = Files.createDirectories(dir.resolve("sessions"));
    Path file = sessions.resolve("big.json");
    Files.writeString(
        file,
        "{\"session_id\": \"big\", \"agent_name\": \"Tester\","
            + " \"created_at\": 1.0, \"updated_at\": 2.0, \"messages\": [{\"role\": \"user\","
            + " \"content\": \""
            + "q".repeat(Json.MAX_STORED_STRING_LENGTH + 1)
            + "\"}]}\n");
    Cli.Result result =
        Cli.run(
            dir,
            "run",
            agent("a.yaml", "a.json", List.of("```python\ndone('x')\n```")).toString(),
            "go",
            "--session",
            "file",
            "--session-id",
            "big",
            "--session-dir",
            sessions.toString());

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains(file.toString())
        .contains("messages[0].content has " + (Json.MAX_STORED_STRING_LENGTH + 1))
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  private Path agent(String name, String cassette, List<String> replies) throws Exception {
    Files.writeString(dir.resolve(cassette), JSON.writeValueAsString(Map.of("responses", replies)));
    Path agent = dir.resolve(name);
    Files.writeString(
        agent,
        """
        agent:
          name: "Tester"
          model:
            provider: "replay"
            cassette: "./%s"
          runtime:
            work_dir: "./ws"
        """
            .formatted(cassette));
    return agent;
  }
}
