package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.Subscription;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reference section 7, hooks: the handler methods ({@code onThink}, {@code onToolCall}, ...), which
 * replace the built-in console handler of their event; subscribing by event class with {@code
 * hooks().on}, which adds to it and can be cancelled; and replacing a default by hand with {@code
 * hooks().replaceDefault}.
 *
 * <pre>./codepilot-examples/run.sh HooksExample</pre>
 */
public final class HooksExample {

  private HooksExample() {}

  public static void main(String[] args) throws Exception {
    run(Examples.agentFile(args, "hooks"), System.out);
  }

  static void run(Path agentFile, PrintStream out) throws Exception {
    try (AgentRuntime runtime =
        AgentRuntime.builder(agentFile)
            .consoleOutput(out)
            .askUserHandler(question -> "asyncpg") // who answers ask_user; see PermissionGating
            .build()) {
      // tag::handlers[]
      runtime.onThink(e -> out.println("[Agent] " + e.message()));
      runtime.onToolCall(e -> out.println("[→ " + e.tool() + "] " + e.args()));
      runtime.onToolResult(
          e -> out.println("[← " + e.tool() + "] " + e.result().lines().findFirst().orElse("")));
      runtime.onAskUser(e -> out.println("❓ " + e.question()));
      runtime.onFinish(e -> out.println("✅ " + e.summary()));
      runtime.onUserMessageQueued(e -> out.println("[Queued] " + e.message()));
      runtime.onUserMessageInjected(e -> out.println("[Injected] " + e.message()));
      // end::handlers[]

      // tag::manual[]
      List<String> summaries = new CopyOnWriteArrayList<>(); // stands in for a database
      runtime.hooks().on(Event.Finish.class, finish -> summaries.add(finish.summary()));
      Subscription steps =
          runtime
              .hooks()
              .on(
                  Event.Step.class,
                  step ->
                      out.println("--- step " + step.step() + " of at most " + step.maxSteps()));
      // end::manual[]

      // tag::replace[]
      runtime
          .hooks()
          .replaceDefault(
              Event.RuntimeError.class,
              error -> { // drops the console's
                List<String> traceback = error.error().lines().toList();
                out.println("[error] " + traceback.getLast()); // e.g. FileNotFoundError: ...
              });
      // end::replace[]

      runtime.sendMessage("Keep the public function names unchanged");
      runtime.run("Refactor the database module to use async SQLAlchemy");
      steps.cancel(); // no more step lines from here on
      out.println("saved summaries: " + summaries);
    }
  }
}
