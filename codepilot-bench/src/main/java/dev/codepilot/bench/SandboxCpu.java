package dev.codepilot.bench;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.sandbox.ExecutionResult;
import dev.codepilot.sandbox.PythonSandbox;
import dev.codepilot.tools.BuiltinTools;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolRegistry;
import dev.codepilot.tools.Tools;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The CPU time one block costs the sandbox's thread, beside its wall time: on a machine that other
 * work keeps busy, wall time measures the queue for the cores as much as the block, while the
 * thread's CPU time stays close to what the block costs. Runs the blocks of {@code
 * SandboxBenchmark} ({@code typical}, and {@code typical-new}: a comment that differs every call,
 * so the policy walks every block) in one warm sandbox: a warm-up, then rounds of blocks, each
 * round giving the mean CPU and wall time per block; the medians over the rounds are printed.
 * Public API only, so it runs on older builds too.
 *
 * <p>Options: {@code --block typical|typical-new} (typical), {@code --warmup} blocks (3000), {@code
 * --rounds} (15), {@code --per-round} blocks (200).
 */
public final class SandboxCpu {

  private SandboxCpu() {}

  public static void main(String[] args) throws Exception {
    Args options = new Args(args);
    String block = options.string("block", "typical");
    int warmup = options.integer("warmup", 3000);
    int rounds = options.integer("rounds", 15);
    int perRound = options.integer("per-round", 200);
    Path work = Files.createTempDirectory("codepilot-bench-sandbox-cpu");
    try {
      AgentConfig config = Workload.agent(work, 20);
      ToolRegistry registry = new ToolRegistry();
      registry.registerAll(BuiltinTools.forConfig(config), false);
      registry.registerAll(Tools.fromObject(new Workload.Inventory()), false);
      List<ToolDefinition> tools = registry.offered(config);
      BenchToolContext context = new BenchToolContext(config);
      try (PythonSandbox sandbox =
          new PythonSandbox(
              config.runtime().allowedImports(),
              config.runtime().execTimeout(),
              config.runtime().maxOutputChars())) {
        long[] calls = {0};
        Runnable one =
            () -> {
              String code =
                  block.equals("typical-new")
                      ? Workload.BLOCK + "# call " + calls[0]++ + "\n"
                      : Workload.BLOCK;
              ExecutionResult result =
                  sandbox.execute(
                      code,
                      tools,
                      new ToolDispatcher(registry, context, Collections.emptyIterator()));
              if (result.status() != ExecutionResult.Status.OK) {
                throw new IllegalStateException("the block failed: " + result);
              }
            };
        for (int i = 0; i < warmup; i++) {
          one.run();
        }
        long thread = sandboxThread();
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        List<Long> cpu = new ArrayList<>();
        List<Long> wall = new ArrayList<>();
        double loadBefore = Machine.load();
        for (int r = 0; r < rounds; r++) {
          long cpuStart = bean.getThreadCpuTime(thread);
          long wallStart = System.nanoTime();
          for (int i = 0; i < perRound; i++) {
            one.run();
          }
          wall.add((System.nanoTime() - wallStart) / perRound);
          cpu.add((bean.getThreadCpuTime(thread) - cpuStart) / perRound);
        }
        System.out.println(Machine.describe());
        System.out.printf(
            Locale.ROOT,
            "block=%s warmup=%d rounds=%d per-round=%d load %.2f -> %.2f%n",
            block,
            warmup,
            rounds,
            perRound,
            loadBefore,
            Machine.load());
        System.out.printf(
            Locale.ROOT,
            "sandbox thread CPU per block: median %s ms (min %s)%n",
            ms(median(cpu)),
            ms(Collections.min(cpu)));
        System.out.printf(
            Locale.ROOT,
            "wall time per block:          median %s ms (min %s)%n",
            ms(median(wall)),
            ms(Collections.min(wall)));
      }
    } finally {
      BenchFiles.deleteTree(work);
    }
  }

  /** The id of the sandbox's thread: it runs every block, the policy check included. */
  private static long sandboxThread() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("codepilot-python")) {
        return t.threadId();
      }
    }
    throw new IllegalStateException("no codepilot-python thread");
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
