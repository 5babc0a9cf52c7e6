package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.SessionInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reference section 5, resuming a session: a runtime built with the same file session id as an
 * earlier one starts with that conversation; {@link FileSession} lists and inspects saved sessions
 * without loading them into a runtime.
 *
 * <p>Each call of {@link #process} stands for one run of a program: it builds a runtime, runs a
 * task and closes it, as a process that exits would. Run it twice by hand to see the history grow.
 * The replay cassette starts from its first reply in every process, so both processes get the same
 * scripted reply; a live model would of course answer each task anew.
 *
 * <pre>./codepilot-examples/run.sh ResumeSession</pre>
 */
public final class ResumeSession {

  private ResumeSession() {}

  public static void main(String[] args) throws Exception {
    Path agentFile = Examples.agentFile(args, "resume");
    Path sessionDir = Examples.sessionDir();
    process(agentFile, sessionDir, "Create the products and orders FastAPI endpoints", System.out);
    process(agentFile, sessionDir, "Add database migrations using Alembic", System.out);
    list(sessionDir, System.out);
  }

  static void process(Path agentFile, Path sessionDir, String task, PrintStream out)
      throws Exception {
    // tag::resume[]
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile)
            .session("file")
            .sessionId("ecommerce-api")
            .sessionDir(sessionDir)
            .consoleOutput(false)
            .build()) {
      // Already populated when the session file exists: the agent picks up where it left off.
      out.println("history before: " + runtime.messages().size() + " messages");
      runtime.messages().stream()
          .findFirst()
          .map(Message::content)
          .ifPresent(first -> out.println("first message:  " + first.replace('\n', ' ')));
      runtime.run(task);
      out.println("history after:  " + runtime.messages().size() + " messages");
    }
    // end::resume[]
  }

  static void list(Path sessionDir, PrintStream out) {
    // tag::list[]
    for (SessionInfo s : FileSession.list(sessionDir).sessions()) { // newest first
      out.printf(
          "%-30s %4d messages  updated %s%n", s.sessionId(), s.messageCount(), s.updatedAt());
    }
    // end::list[]

    // tag::metadata[]
    FileSession session = new FileSession("ecommerce-api", "BackendEngineer", sessionDir);
    Optional<SessionInfo> meta = session.metadata(); // reads no messages, takes no lock
    if (meta.isPresent()) {
      out.println("Session exists. Last updated: " + meta.get().updatedAt());
      out.println("Saved at: " + session.path());
    } else {
      out.println("No saved session: will start fresh");
    }
    // end::metadata[]
  }
}
