package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.Event;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Reference section 11, aborting the agent: {@code abort()} from any thread stops the run after its
 * current step (a model request in flight is cancelled at once); {@code run} then returns with
 * outcome {@code ABORTED}. Each scripted step here runs {@code sleep 2}, standing in for slow work.
 *
 * <pre>./codepilot-examples/run.sh AbortExample</pre>
 */
public final class AbortExample {

  private AbortExample() {}

  public static void main(String[] args) throws Exception {
    run(Examples.agentFile(args, "abort"), System.out);
  }

  static RunResult run(Path agentFile, PrintStream out) throws Exception {
    // tag::abort[]
    try (AgentRuntime runtime = AgentRuntime.builder(agentFile).consoleOutput(out).build()) {
      CountDownLatch started = new CountDownLatch(1);
      runtime.hooks().on(Event.Think.class, e -> started.countDown());

      CompletableFuture<RunResult> agent =
          CompletableFuture.supplyAsync(() -> runtime.run("Build a complete e-commerce backend"));

      started.await(); // the agent is at work...
      runtime.abort(); // ...and stops once the current step completes (never mid-step)

      RunResult result = agent.join();
      out.println("Run ended: " + result.outcome() + " after " + result.steps() + " step(s)");
      return result;
    }
    // end::abort[]
  }
}
