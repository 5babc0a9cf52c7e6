package dev.codepilot.bench;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.model.ChatModels;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many runtimes in one JVM: N runtimes, each on its own virtual thread, each running {@code
 * --steps} steps against {@link ChatCompletionsServer} (OpenAI wire format, streamed, answering
 * after {@code --delay-ms}) through the real {@code openai} provider.
 *
 * <p>With {@code --rounds R} each number of runtimes is measured R times over, each round with new
 * runtimes, so the later rounds show the JVM once its JIT compiler has settled; the CPU columns
 * show how much of each run the compiler and the collector took.
 *
 * <p>Every runtime runs twice: the first run creates its Python interpreter (while the first model
 * request is in flight), the second finds it warm, as an agent that lives in a server does. For
 * each run the harness reports throughput against the ideal (every step takes exactly the model's
 * delay), the per-step overhead (step time minus the time inside the model call) and the model
 * call's own overhead beyond the delay (HTTP client and server); then heap per runtime after the
 * runs and again after {@code --idle-wait-ms} of idleness, and platform threads per runtime. With
 * {@code --sandbox-idle-ms} the runtimes release their interpreters after that much idleness (the
 * runtime's default otherwise). The JVM is first warmed with {@code --warmup-steps} steps of one
 * runtime against a server that answers at once.
 *
 * <pre>
 * Scale [--runtimes 1,10,100,500] [--steps 10] [--delay-ms 200] [--warmup-steps 1000]
 *       [--rounds 1] [--idle-wait-ms 0] [--sandbox-idle-ms N]
 * </pre>
 */
public final class Scale {

  /** The figures of one run of N runtimes. */
  record RunFigures(
      long wallNanos,
      long idealNanos,
      int steps,
      Stats overhead,
      Stats modelExtra,
      int failed,
      CpuClock cpu) {

    double ratio() {
      return (double) idealNanos / wallNanos;
    }
  }

  /** The figures for one number of runtimes: both runs, heap and threads. */
  record Row(
      int runtimes,
      int round,
      RunFigures first,
      RunFigures second,
      long heapAfterRun,
      long heapIdle,
      int threads) {}

  private Scale() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    int sandboxIdle = args.integer("sandbox-idle-ms", -1);
    List<Row> rows =
        run(
            args.integers("runtimes", "1,10,100,500"),
            args.integer("steps", 10),
            args.integer("rounds", 1),
            Duration.ofMillis(args.integer("delay-ms", 200)),
            args.integer("warmup-steps", 1000),
            Duration.ofMillis(args.integer("idle-wait-ms", 0)),
            sandboxIdle < 0 ? null : Duration.ofMillis(sandboxIdle),
            Path.of(args.string("dir", "codepilot-bench/target/scale")));
    System.out.println(Machine.describe());
    System.out.println();
    System.out.println(
        "| runtimes | round | run | steps/s (ideal) | of ideal"
            + " | step overhead p50 / p99 ms | model call beyond delay p50 / p99 ms"
            + " | CPU ms per step: all (sandbox / JIT / GC / rest) | heap per runtime after run"
            + " | heap per idle runtime | platform threads per runtime | failed runs |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Row row : rows) {
      print(row, "first (creates interpreter)", row.first());
      print(row, "second (interpreter warm)", row.second());
    }
    System.exit(0);
  }

  private static void print(Row row, String name, RunFigures run) {
    double steps = row.runtimes() * (double) run.steps();
    System.out.printf(
        Locale.ROOT,
        "| %d | %d | %s | %.1f (%.1f) | %.0f%% | %s / %s | %s / %s | %s"
            + " | %s | %s | %.1f | %d |%n",
        row.runtimes(),
        row.round(),
        name,
        steps / (run.wallNanos() / 1e9),
        steps / (run.idealNanos() / 1e9),
        100 * run.ratio(),
        Stats.ms(run.overhead().median()),
        Stats.ms(run.overhead().quantile(0.99)),
        Stats.ms(run.modelExtra().median()),
        Stats.ms(run.modelExtra().quantile(0.99)),
        cpuPerStep(run.cpu(), steps),
        mb(row.heapAfterRun()),
        row.heapIdle() < 0 ? "–" : mb(row.heapIdle()),
        row.threads() / (double) row.runtimes(),
        run.failed());
  }

  private static String cpuPerStep(CpuClock cpu, double steps) {
    if (cpu.total() < 0) {
      return "–";
    }
    String all = String.format(Locale.ROOT, "%.2f", cpu.total() / 1e6 / steps);
    if (!cpu.hasParts()) {
      return all;
    }
    return String.format(
        Locale.ROOT,
        "%s (%.2f / %.2f / %.2f / %.2f)",
        all,
        cpu.sandbox() / 1e6 / steps,
        cpu.jit() / 1e6 / steps,
        cpu.gc() / 1e6 / steps,
        cpu.rest() / 1e6 / steps);
  }

  /**
   * @param sandboxIdle the runtimes' sandbox idle timeout; null for the default
   */
  static List<Row> run(
      List<Integer> counts,
      int steps,
      int rounds,
      Duration delay,
      int warmupSteps,
      Duration idleWait,
      Duration sandboxIdle,
      Path dir)
      throws Exception {
    Path work = dir.toAbsolutePath().resolve("workspace");
    if (warmupSteps > 0) {
      try (ChatCompletionsServer instant =
          new ChatCompletionsServer(Duration.ZERO, n -> Workload.REPLY)) {
        AgentRuntime runtime =
            runtime(Workload.servedAgent(instant.baseUrl(), work, warmupSteps), null, sandboxIdle);
        try (runtime) {
          runtime.run("Check the stock levels.");
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    try (ChatCompletionsServer server = new ChatCompletionsServer(delay, n -> Workload.REPLY)) {
      AgentConfig config = Workload.servedAgent(server.baseUrl(), work, steps);
      for (int count : counts) {
        for (int round = 1; round <= rounds; round++) {
          rows.add(round(config, count, round, steps, delay, idleWait, sandboxIdle));
        }
      }
    }
    return rows;
  }

  private static Row round(
      AgentConfig config,
      int count,
      int round,
      int steps,
      Duration delay,
      Duration idleWait,
      Duration sandboxIdle)
      throws Exception {
    long heapBefore = usedHeapAfterGc();
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    List<AgentRuntime> runtimes = new ArrayList<>(count);
    List<TimedModel> models = new ArrayList<>(count);
    List<long[]> stepStarts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      TimedModel model = new TimedModel(ChatModels.create(config.model()));
      long[] starts = new long[steps + 2];
      runtimes.add(runtime(config, model, sandboxIdle));
      runtimes
          .get(i)
          .hooks()
          .observe(
              EventType.STEP, event -> starts[((Event.Step) event).step()] = System.nanoTime());
      models.add(model);
      stepStarts.add(starts);
    }
    try {
      RunFigures first = runAll(runtimes, models, stepStarts, steps, delay);
      int threads = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
      long heapAfterRun = (usedHeapAfterGc() - heapBefore) / count;
      RunFigures second = runAll(runtimes, models, stepStarts, steps, delay);
      long heapIdle = -1;
      if (!idleWait.isZero()) {
        Thread.sleep(idleWait.toMillis());
        heapIdle = (usedHeapAfterGc() - heapBefore) / count;
      }
      return new Row(count, round, first, second, heapAfterRun, heapIdle, threads);
    } finally {
      for (AgentRuntime runtime : runtimes) {
        runtime.close();
      }
    }
  }

  /** Runs every runtime once, all at the same moment, each on its own virtual thread. */
  private static RunFigures runAll(
      List<AgentRuntime> runtimes,
      List<TimedModel> models,
      List<long[]> stepStarts,
      int steps,
      Duration delay)
      throws Exception {
    int count = runtimes.size();
    int[] callsBefore = new int[count];
    for (int i = 0; i < count; i++) {
      callsBefore[i] = models.get(i).calls().size();
    }
    CountDownLatch gate = new CountDownLatch(1);
    CpuClock cpuBefore = CpuClock.read();
    List<Future<RunResult>> results = new ArrayList<>(count);
    long started;
    int failed = 0;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        AgentRuntime runtime = runtimes.get(i);
        long[] starts = stepStarts.get(i);
        results.add(
            threads.submit(
                () -> {
                  gate.await();
                  RunResult result = runtime.run("Check the stock levels.");
                  starts[steps + 1] = System.nanoTime();
                  return result;
                }));
      }
      started = System.nanoTime();
      gate.countDown();
      for (Future<RunResult> result : results) {
        RunResult run = result.get();
        if (run.outcome() != RunResult.Outcome.MAX_STEPS) {
          if (failed++ == 0) {
            System.err.println("a run ended " + run.outcome() + ": " + run.error().orElse(""));
          }
        }
      }
    }
    long ended = System.nanoTime();
    CpuClock cpu = CpuClock.read().since(cpuBefore);
    List<Long> overhead = new ArrayList<>();
    List<Long> modelExtra = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long[] starts = stepStarts.get(i);
      List<TimedModel.Call> calls = models.get(i).calls();
      for (int step = 1; step <= steps && callsBefore[i] + step <= calls.size(); step++) {
        long model = calls.get(callsBefore[i] + step - 1).nanos();
        overhead.add(starts[step + 1] - starts[step] - model);
        modelExtra.add(model - delay.toNanos());
      }
    }
    return new RunFigures(
        ended - started,
        steps * delay.toNanos(),
        steps,
        Stats.of(overhead),
        Stats.of(modelExtra),
        failed,
        cpu);
  }

  private static AgentRuntime runtime(AgentConfig config, TimedModel model, Duration sandboxIdle)
      throws Exception {
    AgentRuntime.Builder builder = AgentRuntime.builder(config).consoleOutput(false);
    if (model != null) {
      builder.model(model);
    }
    if (sandboxIdle != null) {
      builder.sandboxIdleTimeout(sandboxIdle);
    }
    AgentRuntime runtime = builder.build();
    runtime.registerTools(new Workload.Inventory());
    return runtime;
  }

  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }
}
