package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.SessionInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Reference section 12, the file-backed variant: named sessions that survive restarts.
 *
 * <pre>
 * ./codepilot-examples/run.sh FileChatCli                           # new "default" session
 * ./codepilot-examples/run.sh FileChatCli --session ecommerce-api   # resume a named session
 * ./codepilot-examples/run.sh FileChatCli --list                    # show all saved sessions
 * </pre>
 *
 * <p>Sessions go to {@code --session-dir DIR} (here by default this module's {@code
 * target/sessions}; the library's own default is {@code ~/.codepilot/sessions}).
 */
public final class FileChatCli {

  private FileChatCli() {}

  public static void main(String[] args) throws Exception {
    chat(
        Examples.agentFile(new String[0], "file-chat"),
        Examples.sessionDir(),
        args,
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
        System.out);
  }

  // tag::file-chat[]
  static void chat(
      Path agentFile, Path sessionDir, String[] args, BufferedReader in, PrintStream out)
      throws Exception {
    List<String> options = List.of(args);
    int dirAt = options.indexOf("--session-dir");
    if (dirAt >= 0) {
      sessionDir = Path.of(options.get(dirAt + 1));
    }
    if (options.contains("--list")) {
      List<SessionInfo> sessions = FileSession.list(sessionDir).sessions();
      if (sessions.isEmpty()) {
        out.println("No saved sessions.");
      }
      for (SessionInfo s : sessions) {
        out.printf("  %-30s %4d messages%n", s.sessionId(), s.messageCount());
      }
      return;
    }
    int idAt = options.indexOf("--session");
    String sessionId = idAt >= 0 ? options.get(idAt + 1) : "default";

    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile)
            .session("file")
            .sessionId(sessionId)
            .sessionDir(sessionDir)
            .consoleOutput(false)
            .build()) {
      if (runtime.messages().isEmpty()) {
        out.println("Starting new session '" + sessionId + "'\n");
      } else {
        out.println(
            "Resuming session '"
                + sessionId
                + "' ("
                + runtime.messages().size()
                + " messages in history)\n");
      }
      runtime.onThink(e -> out.println("  💭 " + e.message()));
      runtime.onFinish(e -> out.println("\n✅ " + e.summary() + "\n"));

      while (true) {
        String line = ChatCli.prompt(in, out, "You: ");
        if (line == null) {
          out.println("\nSession saved. Goodbye.");
          return;
        }
        String task = line.strip();
        if (task.isEmpty()) {
          continue;
        }
        if (task.equalsIgnoreCase("reset") || task.equalsIgnoreCase("clear")) {
          runtime.reset();
          out.println("Session cleared.\n");
          continue;
        }
        if (task.equalsIgnoreCase("quit") || task.equalsIgnoreCase("exit")) {
          return;
        }
        runtime.run(task); // the history is saved after every step
      }
    }
  }
  // end::file-chat[]
}
