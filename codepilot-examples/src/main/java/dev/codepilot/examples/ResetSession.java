package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.session.FileSession;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Reference section 6, resetting a session: {@code reset()} wipes the history, deletes the session
 * file, forgets the Python namespace and ends the agent's background commands; the next run starts
 * from a blank slate.
 *
 * <pre>./codepilot-examples/run.sh ResetSession</pre>
 */
public final class ResetSession {

  private ResetSession() {}

  public static void main(String[] args) throws Exception {
    run(Examples.agentFile(args, "reset"), Examples.sessionDir(), System.out);
  }

  static void run(Path agentFile, Path sessionDir, PrintStream out) throws Exception {
    // tag::reset[]
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile)
            .session("file")
            .sessionId("ecommerce-api")
            .sessionDir(sessionDir)
            .consoleOutput(false)
            .build()) {
      FileSession session = (FileSession) runtime.session();
      runtime.run("Create a REST API for products");
      out.println(
          "before reset: "
              + runtime.messages().size()
              + " messages, file exists: "
              + session.exists());

      runtime.reset(); // wipe everything
      out.println(
          "after reset:  "
              + runtime.messages().size()
              + " messages, file exists: "
              + session.exists());

      RunResult result = runtime.run("Start over — build a GraphQL API instead");
      out.println(result.summary().orElseThrow());
      out.println("history now:  " + runtime.messages().size() + " messages");
    }
    // end::reset[]
  }
}
