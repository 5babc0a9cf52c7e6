package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code codepilot sessions list|show|delete} as a subprocess, on real session files. */
class SessionsCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path sessions;

  @BeforeEach
  void saveTwoSessionsAndACorruptFile() throws Exception {
    sessions = dir.resolve("sessions");
    save(
        "ecommerce-api",
        "BackendEngineer",
        List.of(
            Message.user("[USER INPUT]\nCreate the products endpoint"),
            Message.assistant(
                "```python\nthink('Writing app.py')\nwrite_file('app.py')\n```\n```python\nprint('hi')\n```"),
            Message.user("[EXECUTION RESULT]\n[write_file] Wrote 'app.py' (11 bytes, 1 lines)"),
            Message.user("[USER MESSAGE]\nAlso add tests")));
    save("notes", "Journal Keeper", List.of(Message.user("[USER INPUT]\nNote it")));
    Files.writeString(
        sessions.resolve("broken.json"), "{\"session_id\": \"broken\", \"messages\": [");
  }

  @Test
  void listPrintsATableAndReportsUnreadableFilesOnStderr() throws Exception {
    Cli.Result result = Cli.run(dir, "sessions", "list", "--session-dir", sessions.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    List<String> lines = result.stdoutLines();
    assertThat(lines.get(0)).matches("ID +AGENT +MESSAGES +UPDATED");
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches("ecommerce-api +BackendEngineer +4 +(just now|\\d+ s ago)"));
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("notes +Journal Keeper +1 +.*"));
    assertThat(lines.getLast()).isEqualTo("2 sessions in " + sessions.toAbsolutePath());
    assertThat(result.stderr()).contains("skipped").contains("broken.json");
    assertThat(result.stdout()).doesNotContain("broken");
  }

  @Test
  void listJsonPrintsOneObjectPerSession() throws Exception {
    Cli.Result result =
        Cli.run(dir, "sessions", "list", "--json", "--session-dir", sessions.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    List<JsonNode> rows = result.stdoutLines().stream().map(SessionsCommandTest::parse).toList();
    assertThat(rows)
        .extracting(row -> row.get("session_id").asText())
        .containsExactlyInAnyOrder("ecommerce-api", "notes");
    JsonNode api =
        rows.stream()
            .filter(r -> r.get("session_id").asText().equals("ecommerce-api"))
            .findFirst()
            .orElseThrow();
    assertThat(api.get("agent_name").asText()).isEqualTo("BackendEngineer");
    assertThat(api.get("messages").asInt()).isEqualTo(4);
    assertThat(api.get("updated_at").asText()).endsWith("Z");
  }

  @Test
  void listSaysSoWhenThereAreNoSessions() throws Exception {
    Cli.Result result =
        Cli.run(dir, "sessions", "list", "--session-dir", dir.resolve("none").toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).startsWith("No saved sessions in ");
  }

  @Test
  void showPrintsTheConversationWithTagsAsHeadingsAndCodeBlocksKept() throws Exception {
    Cli.Result result =
        Cli.run(dir, "sessions", "show", "ecommerce-api", "--session-dir", sessions.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    String out = result.stdout();
    assertThat(out).startsWith("Session 'ecommerce-api' · BackendEngineer · 4 messages");
    assertThat(out)
        .contains("── USER INPUT (1) ")
        .contains("── ASSISTANT (2) ")
        .contains("── EXECUTION RESULT (3) ")
        .contains("── USER MESSAGE (4) ");
    assertThat(out).doesNotContain("[USER INPUT]").doesNotContain("[EXECUTION RESULT]");
    assertThat(out)
        .contains("Create the products endpoint\n")
        .contains("```python\nthink('Writing app.py')\nwrite_file('app.py')\n```\n")
        .contains("Also add tests");
    assertThat(out.indexOf("USER INPUT")).isLessThan(out.indexOf("ASSISTANT"));
  }

  @Test
  void anUnknownOrInvalidIdIsAUsageError() throws Exception {
    Cli.Result show =
        Cli.run(dir, "sessions", "show", "nope", "--session-dir", sessions.toString());
    assertThat(show.exitCode()).isEqualTo(2);
    assertThat(show.stderr()).contains("no session 'nope'").contains("sessions list");

    Cli.Result delete =
        Cli.run(dir, "sessions", "delete", "nope", "--session-dir", sessions.toString());
    assertThat(delete.exitCode()).isEqualTo(2);
    assertThat(delete.stderr()).contains("no session 'nope'");

    Cli.Result invalid =
        Cli.run(dir, "sessions", "show", "../etc", "--session-dir", sessions.toString());
    assertThat(invalid.exitCode()).isEqualTo(2);

    Cli.Result missing = Cli.run(dir, "sessions");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("list, show ID or delete ID");
  }

  @Test
  void deleteRemovesTheFileAndRefusesASessionInUse() throws Exception {
    try (FileSession held = new FileSession("notes", "Journal Keeper", sessions)) {
      held.load();
      Cli.Result refused =
          Cli.run(dir, "sessions", "delete", "notes", "--session-dir", sessions.toString());
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.stderr()).contains("cannot delete session 'notes'").contains("in use");
      assertThat(sessions.resolve("notes.json")).exists();
    }

    Cli.Result deleted =
        Cli.run(dir, "sessions", "delete", "ecommerce-api", "--session-dir", sessions.toString());
    assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
    assertThat(deleted.stdout()).contains("Deleted session 'ecommerce-api'");
    assertThat(sessions.resolve("ecommerce-api.json")).doesNotExist();
    assertThat(sessions.resolve("notes.json")).exists();
  }

  @Test
  void showReportsADamagedFileWithoutMovingIt() throws Exception {
    Cli.Result result =
        Cli.run(dir, "sessions", "show", "broken", "--session-dir", sessions.toString());

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("broken.json");
    assertThat(sessions.resolve("broken.json")).exists();
  }

  private void save(String id, String agent, List<Message> messages) {
    try (FileSession session = new FileSession(id, agent, sessions)) {
      session.save(messages);
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
