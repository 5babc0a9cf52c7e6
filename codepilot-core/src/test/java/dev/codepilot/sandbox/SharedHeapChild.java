package dev.codepilot.sandbox;

import static dev.codepilot.testing.TestAgents.block;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.model.Message;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Two agents in one JVM, run by {@link MemoryGuardTest} with a small heap: one fills the heap, the
 * other runs ordinary blocks meanwhile. Prints what each model was told, one line each.
 */
public final class SharedHeapChild {

  static final int CALM_BLOCKS = 40;

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("shared-heap");
    QueueModel bomb =
        new QueueModel()
            .reply(
                block("s = 'a' * (10 ** 8)\nprint(len(s))"),
                // Paced by a little counting per megabyte: the guard, not a failed allocation,
                // must end it.
                block(
                    "l = []\nwhile True:\n    l.append('x' * 10**6)\n"
                        + "    paced = sum(range(100000))"),
                block("try:\n    s\n    print('kept')\nexcept NameError:\n    print('cleared')"),
                block("done('bomb over')"));
    List<String> calmReplies = new ArrayList<>();
    for (int i = 0; i < CALM_BLOCKS; i++) {
      calmReplies.add(
          block("total = sum(x * x for x in range(20000))\nprint('calm', " + i + ", total)"));
    }
    calmReplies.add(block("done('calm over')"));
    QueueModel calm = new QueueModel().reply(calmReplies.toArray(String[]::new));
    try (AgentRuntime bombAgent = runtime(work.resolve("bomb"), bomb);
        AgentRuntime calmAgent = runtime(work.resolve("calm"), calm)) {
      CompletableFuture<RunResult> bombRun =
          CompletableFuture.supplyAsync(() -> bombAgent.run("fill the heap"));
      CompletableFuture<RunResult> calmRun =
          CompletableFuture.supplyAsync(() -> calmAgent.run("count"));
      report("BOMB", bombRun.join(), bombAgent);
      report("CALM", calmRun.join(), calmAgent);
    }
    System.out.flush();
    System.exit(0);
  }

  private static AgentRuntime runtime(Path dir, QueueModel model) throws Exception {
    Files.createDirectories(dir);
    return AgentRuntime.builder(
            TestAgents.config(dir, 50, java.time.Duration.ofSeconds(60), 20_000, List.of()))
        .model(model)
        .consoleOutput(false)
        .build();
  }

  private static void report(String who, RunResult result, AgentRuntime agent) {
    List<String> told = new ArrayList<>();
    for (Message message : agent.messages()) {
      if (message.content().startsWith("[EXECUTION RESULT]")) {
        told.add(message.content().replace('\n', ' '));
      }
    }
    System.out.println(who + " " + result.outcome() + " " + String.join(" | ", told));
  }
}
