package dev.codepilot.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.session.FileSession;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference sections 4 to 6 and the file-backed CLI of section 12: sessions. */
class SessionExamplesTest {

  @TempDir Path tmp;

  private final Agents.Output out = new Agents.Output();

  @Test
  void sessionPersistenceNamesMemorySessionsAndSavesTheFileSession() throws Exception {
    Path sessions = tmp.resolve("sessions");

    SessionPersistence.run(Agents.copy("sessions", tmp), sessions, out.stream());

    Path file = sessions.resolve("ecommerce-api.json");
    assertThat(out.text())
        .contains(
            "memory sessions: backendengineer, backendengineer, my-session",
            "saved to " + file,
            "\"session_id\": \"ecommerce-api\"",
            "\"agent_name\": \"BackendEngineer\"");
    assertThat(FileSession.metadata(sessions, "ecommerce-api"))
        .hasValueSatisfying(info -> assertThat(info.messageCount()).isEqualTo(3));
  }

  @Test
  void aLaterProcessResumesTheHistoryAndTheSessionIsListed() throws Exception {
    Path agentFile = Agents.copy("resume", tmp);
    Path sessions = tmp.resolve("sessions");

    ResumeSession.process(agentFile, sessions, "Create the products endpoints", out.stream());
    ResumeSession.process(agentFile, sessions, "Add database migrations", out.stream());
    ResumeSession.list(sessions, out.stream());

    assertThat(out.text())
        .contains(
            "history before: 0 messages",
            "history after:  3 messages",
            "history before: 3 messages",
            "first message:  [USER INPUT] Create the products endpoints",
            "history after:  6 messages",
            "Session exists. Last updated: ",
            "Saved at: " + sessions.resolve("ecommerce-api.json"))
        .containsPattern("ecommerce-api +6 messages  updated 20");
    assertThat(agentFile.resolveSibling("workspace/NOTES.md")).content().hasLineCount(2);
  }

  @Test
  void resetEmptiesTheHistoryAndDeletesTheFile() throws Exception {
    ResetSession.run(Agents.copy("reset", tmp), tmp.resolve("sessions"), out.stream());

    assertThat(out.text())
        .contains(
            "before reset: 3 messages, file exists: true",
            "after reset:  0 messages, file exists: false",
            "Started over: schema.graphql defines Product",
            "history now:  3 messages");
  }

  @Test
  void fileBackedCliResumesNamedSessionsAndListsThem() throws Exception {
    Path agentFile = Agents.copy("file-chat", tmp);
    Path sessions = tmp.resolve("sessions");

    FileChatCli.chat(
        agentFile,
        sessions,
        new String[] {"--session", "notes"},
        input("Log the first task\nquit\n"),
        out.stream());
    FileChatCli.chat(
        agentFile,
        sessions,
        new String[] {"--session", "notes"},
        input("Log the second task\n"),
        out.stream());
    FileChatCli.chat(agentFile, sessions, new String[] {"--list"}, input(""), out.stream());

    assertThat(out.text())
        .contains(
            "Starting new session 'notes'",
            "✅ Added an entry to journal.md.",
            "Resuming session 'notes' (3 messages in history)",
            "Session saved. Goodbye.")
        .containsPattern("notes +6 messages");
  }

  @Test
  void fileBackedCliSaysSoWhenThereAreNoSessions() throws Exception {
    FileChatCli.chat(
        Agents.copy("file-chat", tmp),
        tmp,
        new String[] {"--list", "--session-dir", tmp.resolve("none").toString()},
        input(""),
        out.stream());

    assertThat(out.text()).isEqualTo("No saved sessions." + System.lineSeparator());
  }

  private static BufferedReader input(String lines) {
    return new BufferedReader(new StringReader(lines));
  }
}
