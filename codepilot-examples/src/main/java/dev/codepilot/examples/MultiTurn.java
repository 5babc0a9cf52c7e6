package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Reference section 3, multi-turn execution: three tasks on one runtime. Each run appends to the
 * same history, so the second and third tasks are asked with everything before them in context.
 *
 * <pre>./codepilot-examples/run.sh MultiTurn</pre>
 */
public final class MultiTurn {

  private MultiTurn() {}

  public static void main(String[] args) throws Exception {
    run(Examples.agentFile(args, "multi-turn"), System.out);
  }

  static void run(Path agentFile, PrintStream out) throws Exception {
    // tag::turns[]
    try (AgentRuntime runtime = AgentRuntime.builder(agentFile).consoleOutput(false).build()) {
      String[] tasks = {
        "Create a FastAPI app with a /items GET endpoint",
        "Now add a POST /items endpoint with Pydantic validation", // sees turn 1
        "Add pytest tests for both endpoints", // sees turns 1 and 2
      };
      for (String task : tasks) {
        RunResult result = runtime.run(task);
        out.println("> " + task);
        out.println(
            "  "
                + result.summary().orElse(result.outcome().toString())
                + "  [history: "
                + runtime.messages().size()
                + " messages]");
      }
    }
    // end::turns[]
  }
}
