package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.session.FileSession;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reference section 4, session persistence: the in-memory backend (the default) and the file
 * backend, which saves the history as JSON after every step.
 *
 * <pre>./codepilot-examples/run.sh SessionPersistence</pre>
 */
public final class SessionPersistence {

  private SessionPersistence() {}

  public static void main(String[] args) throws Exception {
    run(Examples.agentFile(args, "sessions"), Examples.sessionDir(), System.out);
  }

  static void run(Path agentFile, Path sessionDir, PrintStream out) throws Exception {
    // tag::memory[]
    try (AgentRuntime byDefault = AgentRuntime.builder(agentFile).build();
        AgentRuntime explicit = AgentRuntime.builder(agentFile).session("memory").build();
        AgentRuntime named =
            AgentRuntime.builder(agentFile).session("memory").sessionId("my-session").build()) {
      out.println(
          "memory sessions: "
              + byDefault.session().sessionId()
              + ", "
              + explicit.session().sessionId()
              + ", "
              + named.session().sessionId());
    }
    // end::memory[]

    // tag::file[]
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile)
            .session("file")
            .sessionId("ecommerce-api") // default: the agent name in lower case, spaces as hyphens
            .sessionDir(sessionDir) // default: ~/.codepilot/sessions
            .consoleOutput(false)
            .build()) {
      runtime.run("Create the products and orders FastAPI endpoints");

      Path file = ((FileSession) runtime.session()).path(); // <sessionDir>/ecommerce-api.json
      out.println("saved to " + file);
      Files.readAllLines(file).stream().limit(6).forEach(out::println);
    }
    // end::file[]
  }
}
