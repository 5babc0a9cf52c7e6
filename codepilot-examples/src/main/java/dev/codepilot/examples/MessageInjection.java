package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.Event;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reference section 9, mid-task message injection: {@code run} blocks its thread; from any other
 * thread {@code sendMessage} queues a message, which enters the model's context tagged {@code [USER
 * MESSAGE]} at the next step boundary. A step is never interrupted.
 *
 * <pre>./codepilot-examples/run.sh MessageInjection</pre>
 */
public final class MessageInjection {

  private MessageInjection() {}

  public static void main(String[] args) throws Exception {
    run(Examples.agentFile(args, "injection"), System.out);
  }

  static void run(Path agentFile, PrintStream out) throws Exception {
    try (AgentRuntime runtime = AgentRuntime.builder(agentFile).consoleOutput(false).build()) {
      holdFirstStepUntilAMessageIsQueued(runtime);

      // tag::inject[]
      CountDownLatch agentIsWorking = new CountDownLatch(1);
      runtime.onThink(
          e -> {
            out.println("Agent: " + e.message());
            agentIsWorking.countDown();
          });
      runtime.onUserMessageInjected(
          e -> out.println("[Your message is now in context]: " + e.message()));

      Thread agent =
          Thread.ofPlatform()
              .name("agent")
              .start(
                  () -> runtime.run("Create a utility module with five string helper functions"));

      agentIsWorking.await(); // the agent is busy...
      runtime.sendMessage("Also add type hints to every function"); // ...when the user adds this
      agent.join();
      // end::inject[]

      runtime.messages().stream()
          .filter(m -> m.content().startsWith("[USER MESSAGE]"))
          .forEach(m -> out.println("in history: " + m.content().replace('\n', ' ')));
    }
  }

  /**
   * Scripted replies come back in milliseconds, so without this the run could finish before the
   * message is sent. Handlers run on the agent's thread and its step waits for them: this one holds
   * the first step at its first tool call (for at most 30 seconds) until the message is queued, as
   * a live model's thinking time would. A real application does not need it.
   */
  private static void holdFirstStepUntilAMessageIsQueued(AgentRuntime runtime) {
    CountDownLatch queued = new CountDownLatch(1);
    runtime.hooks().on(Event.UserMessageQueued.class, e -> queued.countDown());
    runtime
        .hooks()
        .on(
            Event.ToolCall.class,
            e -> {
              try {
                queued.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
              }
            });
  }
}
