package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventJson;
import dev.codepilot.hooks.PermissionGate;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The event reference: prints every event a runtime fires as one line of JSON, the form the command
 * line's {@code --json} and WebSocket clients see. The scripted runs below fire each of the sixteen
 * event types at least once; the guide's event table is checked against this output.
 *
 * <pre>./codepilot-examples/run.sh EventReference</pre>
 */
public final class EventReference {

  private EventReference() {}

  public static void main(String[] args) throws Exception {
    run(Examples.agentFile(args, "events"), System.out);
  }

  static void run(Path agentFile, PrintStream out) throws Exception {
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile)
            .consoleOutput(false)
            .askUserHandler(question -> "yes")
            .build()) {
      // tag::json[]
      runtime.hooks().on(Event.class, event -> out.println(EventJson.toLine(event)));
      // end::json[]
      runtime.setPermissionGate(PermissionGate.allowAll());

      runtime.sendMessage("Keep it short");
      runtime.run("Write notes.md"); // think, ask, write; a rejected block; an error; done
      runtime.run("Keep going"); // never calls done(): stops at max_steps
      runtime.reset();
    }
    // A window so small that the third step first has the older steps summarized.
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile.resolveSibling("condensing.yaml"))
            .consoleOutput(false)
            .build()) {
      runtime
          .hooks()
          .on(Event.ContextCondensed.class, event -> out.println(EventJson.toLine(event)));
      runtime.run("Print two lines");
    }
    // An agent that calls a sub-agent: the sub-agent's events arrive tagged with "agent".
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile.resolveSibling("team.yaml")).build()) {
      runtime.hooks().on(Event.SubAgent.class, event -> out.println(EventJson.toLine(event)));
      runtime.run("Ask the helper");
    }
  }
}
