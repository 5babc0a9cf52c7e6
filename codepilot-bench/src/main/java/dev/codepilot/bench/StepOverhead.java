package dev.codepilot.bench;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.InMemorySession;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-step overhead: everything a step costs except waiting for the model. The model answers with
 * {@link Workload#REPLY}, at once or after {@code --think-ms}; the harness times the intervals
 * between STEP events and subtracts the time spent inside the model call. What is left covers
 * rendering the prompt, parsing the reply, checking and running the block (five tool calls, a loop,
 * a json round-trip), the hooks and saving the session: with an instant model all of it in
 * sequence, with a thinking model only what the model's time does not hide.
 *
 * <p>The JVM is first warmed with {@code --warmup-steps} steps in one runtime. Then, for each
 * history length, a round builds a runtime on a session preloaded with that many steps, runs {@code
 * --steps} steps and keeps the intervals after the first {@code --skip} (which include creating the
 * Python context and the block's first import). CPU per step is that of the runtime's own threads,
 * the loop's and the sandbox's, over the kept steps: it leaves out the JIT compiler, the garbage
 * collector and the session save, which runs in the background.
 *
 * <pre>
 * StepOverhead [--history 10,100,500] [--session file|memory] [--rounds 20] [--steps 8]
 *              [--skip 2] [--warmup-steps 1000] [--think-ms 0] [--dir DIR]
 * </pre>
 */
public final class StepOverhead {

  /** The figures for one history length. */
  record Row(int history, Stats overhead, double cpuMillisPerStep, long sessionBytes) {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** How to run: session backend, rounds, steps per round, skipped steps, model time. */
  record Plan(String session, int rounds, int steps, int skip, int warmupSteps, long thinkMillis) {

    Plan {
      if (steps <= skip + 1) {
        throw new IllegalArgumentException("--steps must exceed --skip + 1");
      }
    }
  }

  private StepOverhead() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    Plan plan =
        new Plan(
            args.string("session", "file"),
            args.integer("rounds", 20),
            args.integer("steps", 8),
            args.integer("skip", 2),
            args.integer("warmup-steps", 1000),
            args.integer("think-ms", 0));
    List<Row> rows =
        run(
            args.integers("history", "10,100,500"),
            plan,
            Path.of(args.string("dir", "codepilot-bench/target/step-overhead")));
    System.out.println(Machine.describe());
    System.out.println();
    System.out.println(
        "| history (steps) | session | model | step overhead, median (p25–p75) ms"
            + " | p90 ms | p99 ms | runtime CPU ms/step | session file |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Row row : rows) {
      System.out.printf(
          "| %d | %s | %s | %s | %s | %s | %.2f | %s |%n",
          row.history(),
          plan.session(),
          plan.thinkMillis() == 0 ? "instant" : plan.thinkMillis() + " ms",
          row.overhead().medianAndSpread(),
          Stats.ms(row.overhead().quantile(0.9)),
          Stats.ms(row.overhead().quantile(0.99)),
          row.cpuMillisPerStep(),
          row.sessionBytes() < 0 ? "–" : (row.sessionBytes() >> 10) + " KB");
    }
    System.exit(0);
  }

  static List<Row> run(List<Integer> histories, Plan plan, Path dir) throws Exception {
    Path work = Files.createDirectories(dir.toAbsolutePath()).resolve("workspace");
    Path sessions = dir.toAbsolutePath().resolve("sessions");
    BenchFiles.deleteTree(sessions);
    if (plan.warmupSteps() > 0) {
      round(work, null, null, List.of(), plan.warmupSteps(), 0, 0, new ArrayList<>(), new long[1]);
    }
    boolean file = plan.session().equals("file");
    List<Row> rows = new ArrayList<>();
    for (int history : histories) {
      List<Message> preload = Workload.history(history, Workload.EXECUTION_RESULT);
      List<Long> overheads = new ArrayList<>();
      long[] cpu = new long[1];
      long bytes = -1;
      for (int r = 0; r < plan.rounds(); r++) {
        String id = "bench-" + history + "-" + r;
        round(
            work,
            file ? sessions : null,
            id,
            preload,
            plan.steps(),
            plan.skip(),
            plan.thinkMillis(),
            overheads,
            cpu);
        if (file) {
          bytes = Files.size(sessions.resolve(id + ".json"));
          BenchFiles.deleteTree(sessions);
        }
      }
      rows.add(new Row(history, Stats.of(overheads), cpu[0] / 1e6 / overheads.size(), bytes));
    }
    return rows;
  }

  /** One runtime, {@code steps} steps; adds the kept overheads and their process CPU time. */
  private static void round(
      Path work,
      Path sessionDir,
      String id,
      List<Message> preload,
      int steps,
      int skip,
      long thinkMillis,
      List<Long> overheads,
      long[] cpu)
      throws Exception {
    TimedModel model = new TimedModel(new InstantModel(Workload.REPLY, thinkMillis));
    AgentRuntime.Builder builder =
        AgentRuntime.builder(Workload.agent(work, steps)).model(model).consoleOutput(false);
    if (sessionDir != null) {
      try (FileSession session = new FileSession(id, "Bench Agent", sessionDir)) {
        session.save(preload);
      }
      builder.session("file").sessionId(id).sessionDir(sessionDir);
    } else {
      InMemorySession session = new InMemorySession("bench");
      session.save(preload);
      builder.session(session);
    }
    long[] at = new long[steps + 1];
    long[] cpuAt = new long[steps + 1];
    List<Long> runtimeThreads = new ArrayList<>();
    try (AgentRuntime runtime = builder.build()) {
      runtime.registerTools(new Workload.Inventory());
      // STEP is emitted on the loop's thread; by then the sandbox has its thread.
      runtime
          .hooks()
          .observe(
              EventType.STEP,
              event -> {
                int step = ((Event.Step) event).step();
                if (step == 1) {
                  runtimeThreads.add(Thread.currentThread().threadId());
                  Thread.getAllStackTraces().keySet().stream()
                      .filter(t -> t.getName().equals("codepilot-python"))
                      .forEach(t -> runtimeThreads.add(t.threadId()));
                }
                at[step] = System.nanoTime();
                cpuAt[step] = cpuNanos(runtimeThreads);
              });
      runtime.run("Check the stock levels.");
    }
    if (skip + 2 > steps) {
      return;
    }
    List<TimedModel.Call> calls = model.calls();
    for (int step = skip + 2; step <= steps; step++) {
      overheads.add(at[step] - at[step - 1] - calls.get(step - 2).nanos());
    }
    cpu[0] += cpuAt[steps] - cpuAt[skip + 1];
  }

  /** The CPU time the threads have used so far (threads that ended count for nothing). */
  private static long cpuNanos(List<Long> threads) {
    long total = 0;
    for (long id : threads) {
      total += Math.max(0, THREADS.getThreadCpuTime(id));
    }
    return total;
  }
}
