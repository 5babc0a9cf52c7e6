package dev.codepilot.bench;

import dev.codepilot.CodePilot;
import dev.codepilot.sandbox.ContextPool;
import dev.codepilot.sandbox.ExecutionResult;
import dev.codepilot.sandbox.PythonSandbox;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How long a new runtime's first block waits, with and without interpreters kept ready ({@code
 * CodePilot.prewarm(n)}): as in a daemon or server that starts a runtime per request, each new
 * sandbox runs {@code x = 1} once and is closed, the next one starting once the pool is full again
 * (requests a moment apart). The JVM is warmed first with sandboxes made the same way. Prints the
 * median and p90 of the first block's wall time and the load.
 *
 * <p>Options: {@code --pool} interpreters kept ready (2; 0 for none), {@code --sandboxes} (30),
 * {@code --warmup} sandboxes (30).
 */
public final class FirstBlock {

  private FirstBlock() {}

  public static void main(String[] args) throws Exception {
    Args options = new Args(args);
    int pool = options.integer("pool", 2);
    int sandboxes = options.integer("sandboxes", 30);
    int warmup = options.integer("warmup", 30);
    Path work = Files.createTempDirectory("codepilot-bench-first-block");
    try {
      CodePilot.prewarm(pool);
      for (int i = 0; i < warmup; i++) {
        firstBlock(work, pool);
      }
      double loadBefore = Machine.load();
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < sandboxes; i++) {
        times.add(firstBlock(work, pool));
      }
      Collections.sort(times);
      System.out.println(Machine.describe());
      System.out.printf(
          Locale.ROOT,
          "pool=%d sandboxes=%d: first block median %.1f ms, p90 %.1f ms (load %.2f -> %.2f)%n",
          pool,
          sandboxes,
          times.get(times.size() / 2) / 1e6,
          times.get((int) (times.size() * 0.9)) / 1e6,
          loadBefore,
          Machine.load());
    } finally {
      CodePilot.prewarm(0);
      BenchFiles.deleteTree(work);
    }
  }

  /** Waits for a full pool, then times a new sandbox's first block. */
  private static long firstBlock(Path work, int pool) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (ContextPool.ready() < pool && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    ToolDispatcher dispatcher =
        new ToolDispatcher(
            new ToolRegistry(),
            new BenchToolContext(Workload.agent(work, 20)),
            Collections.emptyIterator());
    long start = System.nanoTime();
    try (PythonSandbox sandbox =
        new PythonSandbox(List.of("json"), Duration.ofSeconds(30), 20_000)) {
      ExecutionResult result = sandbox.execute("x = 1\n", List.of(), dispatcher);
      if (result.status() != ExecutionResult.Status.OK) {
        throw new IllegalStateException("the block failed: " + result);
      }
      return System.nanoTime() - start;
    }
  }
}
