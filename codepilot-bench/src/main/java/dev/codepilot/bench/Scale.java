package dev.codepilot.bench;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ModelConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.model.ChatModels;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many runtimes in one JVM: N runtimes, each on its own virtual thread, each running
 * {@code --steps} steps against {@link ChatCompletionsServer} (OpenAI wire format, streamed,
 * answering after {@code --delay-ms}) through the real {@code openai} provider.
 *
 * <p>Reports throughput against the ideal (every step takes exactly the model's delay), the
 * per-step overhead (step time minus the time inside the model call), the model call's own
 * overhead beyond the delay (HTTP client and server), heap per runtime right after the runs and
 * again after {@code --idle-wait-ms} of idleness, and threads per runtime.
 *
 * <pre>
 * Scale [--runtimes 1,10,100,500] [--steps 10] [--delay-ms 200] [--idle-wait-ms 0]
 * </pre>
 */
public final class Scale {

  /** The figures for one number of runtimes. */
  record Row(int runtimes, int steps, long wallNanos, long idealNanos, Stats overhead,
      Stats modelExtra, long heapAfterRun, long heapIdle, int threadsAfterRun, int failed) {

    double ratio() {
      return (double) idealNanos / wallNanos;
    }

    double stepsPerSecond() {
      return runtimes * (double) steps / (wallNanos / 1e9);
    }
  }

  private Scale() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    List<Row> rows = run(args.integers("runtimes", "1,10,100,500"), args.integer("steps", 10),
        Duration.ofMillis(args.integer("delay-ms", 200)),
        Duration.ofMillis(args.integer("idle-wait-ms", 0)),
        Path.of(args.string("dir", "codepilot-bench/target/scale")));
    System.out.println(Machine.describe());
    System.out.println();
    System.out.println("| runtimes | steps/s (ideal) | of ideal | step overhead p50 / p99 ms"
        + " | model call beyond delay p50 / p99 ms | heap per runtime after run | heap per idle"
        + " runtime | threads per runtime | failed runs |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Row row : rows) {
      double ideal = row.runtimes() * (double) row.steps() / (row.idealNanos() / 1e9);
      System.out.printf("| %d | %.1f (%.1f) | %.0f%% | %s / %s | %s / %s | %s | %s | %.1f | %d |%n",
          row.runtimes(), row.stepsPerSecond(), ideal, 100 * row.ratio(),
          Stats.ms(row.overhead().median()), Stats.ms(row.overhead().quantile(0.99)),
          Stats.ms(row.modelExtra().median()), Stats.ms(row.modelExtra().quantile(0.99)),
          mb(row.heapAfterRun()), row.heapIdle() < 0 ? "–" : mb(row.heapIdle()),
          row.threadsAfterRun() / (double) row.runtimes(), row.failed());
    }
    System.exit(0);
  }

  static List<Row> run(List<Integer> counts, int steps, Duration delay, Duration idleWait,
      Path dir) throws Exception {
    Path work = dir.toAbsolutePath().resolve("workspace");
    List<Row> rows = new ArrayList<>();
    try (ChatCompletionsServer server = new ChatCompletionsServer(delay, n -> Workload.REPLY)) {
      // Warm the JVM, the shared engine and the HTTP stack; not reported.
      round(server.baseUrl(), work, 2, steps, delay, Duration.ZERO);
      for (int count : counts) {
        rows.add(round(server.baseUrl(), work, count, steps, delay, idleWait));
      }
    }
    return rows;
  }

  private static Row round(URI baseUrl, Path work, int count, int steps, Duration delay,
      Duration idleWait) throws Exception {
    AgentConfig base = Workload.agent(work, steps);
    AgentConfig config = new AgentConfig(base.name(), base.role(), base.systemPrompt(),
        new ModelConfig("openai", "bench-model", Optional.empty(), 0.0, 1024, Optional.empty(),
            Optional.of(baseUrl), Duration.ofSeconds(60), 0),
        base.runtime(), base.tools(), Optional.empty());
    long heapBefore = usedHeapAfterGc();
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    List<AgentRuntime> runtimes = new ArrayList<>(count);
    List<TimedModel> models = new ArrayList<>(count);
    List<long[]> stepStarts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      TimedModel model = new TimedModel(ChatModels.create(config.model()));
      AgentRuntime runtime = AgentRuntime.builder(config).model(model).consoleOutput(false).build();
      runtime.registerTools(new Workload.Inventory());
      long[] starts = new long[steps + 2];
      runtime.hooks().observe(EventType.STEP,
          event -> starts[((Event.Step) event).step()] = System.nanoTime());
      runtimes.add(runtime);
      models.add(model);
      stepStarts.add(starts);
    }
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<RunResult>> results = new ArrayList<>(count);
    long started;
    long ended;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        AgentRuntime runtime = runtimes.get(i);
        long[] starts = stepStarts.get(i);
        results.add(threads.submit(() -> {
          gate.await();
          RunResult result = runtime.run("Check the stock levels.");
          starts[steps + 1] = System.nanoTime();
          return result;
        }));
      }
      started = System.nanoTime();
      gate.countDown();
      int failed = 0;
      for (Future<RunResult> result : results) {
        if (result.get().outcome() != RunResult.Outcome.MAX_STEPS) {
          failed++;
        }
      }
      ended = System.nanoTime();
      List<Long> overhead = new ArrayList<>();
      List<Long> modelExtra = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        long[] starts = stepStarts.get(i);
        List<TimedModel.Call> calls = models.get(i).calls();
        for (int step = 1; step <= steps && step <= calls.size(); step++) {
          long model = calls.get(step - 1).nanos();
          overhead.add(starts[step + 1] - starts[step] - model);
          modelExtra.add(model - delay.toNanos());
        }
      }
      int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
      long heapAfterRun = (usedHeapAfterGc() - heapBefore) / count;
      long heapIdle = -1;
      if (!idleWait.isZero()) {
        Thread.sleep(idleWait.toMillis());
        heapIdle = (usedHeapAfterGc() - heapBefore) / count;
      }
      for (AgentRuntime runtime : runtimes) {
        runtime.close();
      }
      return new Row(count, steps, ended - started, steps * delay.toNanos(), Stats.of(overhead),
          Stats.of(modelExtra), heapAfterRun, heapIdle, threadsAfter, failed);
    }
  }

  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }
}
