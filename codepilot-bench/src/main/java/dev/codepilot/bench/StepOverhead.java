package dev.codepilot.bench;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.InMemorySession;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-step overhead: everything a step costs except waiting for the model. The model answers at
 * once with {@link Workload#REPLY}; the harness times the intervals between STEP events, each of
 * which covers rendering the prompt, parsing the reply, checking and running the block (five
 * tool calls, a loop, a json round-trip), the hooks and saving the session.
 *
 * <p>For each history length a round builds a runtime on a session preloaded with that many
 * steps, runs {@code --steps} steps and keeps the intervals after the first
 * {@code --skip} (which include creating the Python context and the block's first import).
 *
 * <pre>
 * StepOverhead [--history 10,100,500] [--session file|memory] [--rounds 20] [--steps 8]
 *              [--skip 2] [--warmup 3] [--dir DIR]
 * </pre>
 */
public final class StepOverhead {

  /** The figures for one history length. */
  record Row(int history, Stats wall, double cpuMillisPerStep, long sessionBytes) {
  }

  private StepOverhead() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    List<Row> rows = run(args.integers("history", "10,100,500"), args.string("session", "file"),
        args.integer("rounds", 20), args.integer("steps", 8), args.integer("skip", 2),
        args.integer("warmup", 3), Path.of(args.string("dir", "codepilot-bench/target/step-overhead")));
    System.out.println(Machine.describe());
    System.out.println();
    System.out.println("| history (steps) | session | step overhead, median (p25–p75) ms | p90 ms"
        + " | p99 ms | CPU ms/step | session file |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Row row : rows) {
      System.out.printf("| %d | %s | %s | %s | %s | %.2f | %s |%n", row.history(),
          args.string("session", "file"), row.wall().medianAndSpread(),
          Stats.ms(row.wall().quantile(0.9)), Stats.ms(row.wall().quantile(0.99)),
          row.cpuMillisPerStep(), row.sessionBytes() < 0 ? "–" : (row.sessionBytes() >> 10) + " KB");
    }
    System.exit(0);
  }

  static List<Row> run(List<Integer> histories, String backend, int rounds, int steps, int skip,
      int warmup, Path dir) throws Exception {
    if (steps <= skip + 1) {
      throw new IllegalArgumentException("--steps must exceed --skip + 1");
    }
    Path work = Files.createDirectories(dir.toAbsolutePath()).resolve("workspace");
    Path sessions = dir.toAbsolutePath().resolve("sessions");
    BenchFiles.deleteTree(sessions);
    // Warm the JVM and the shared engine.
    for (int i = 0; i < warmup; i++) {
      round(work, null, null, List.of(), steps, skip, new ArrayList<>(), new long[1]);
    }
    List<Row> rows = new ArrayList<>();
    for (int history : histories) {
      List<Message> preload = Workload.history(history, Workload.EXECUTION_RESULT);
      List<Long> intervals = new ArrayList<>();
      long[] cpu = new long[1];
      long bytes = -1;
      for (int r = 0; r < rounds; r++) {
        String id = "bench-" + history + "-" + r;
        round(work, backend.equals("file") ? sessions : null, id, preload, steps, skip, intervals,
            cpu);
        if (backend.equals("file")) {
          bytes = Files.size(sessions.resolve(id + ".json"));
          BenchFiles.deleteTree(sessions);
        }
      }
      rows.add(new Row(history, Stats.of(intervals), cpu[0] / 1e6 / intervals.size(), bytes));
    }
    return rows;
  }

  /** One runtime, {@code steps} steps; adds the measured intervals and their process CPU time. */
  private static void round(Path work, Path sessionDir, String id, List<Message> preload,
      int steps, int skip, List<Long> intervals, long[] cpu) throws Exception {
    AgentRuntime.Builder builder = AgentRuntime.builder(Workload.agent(work, steps))
        .model(new InstantModel(Workload.REPLY))
        .consoleOutput(false);
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
    try (AgentRuntime runtime = builder.build()) {
      runtime.registerTools(new Workload.Inventory());
      runtime.hooks().observe(EventType.STEP, event -> {
        int step = ((Event.Step) event).step();
        at[step] = System.nanoTime();
        cpuAt[step] = processCpuNanos();
      });
      runtime.run("Check the stock levels.");
      for (int step = skip + 2; step <= steps; step++) {
        intervals.add(at[step] - at[step - 1]);
      }
      cpu[0] += cpuAt[steps] - cpuAt[skip + 1];
    }
  }

  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
