package dev.codepilot.bench;

import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.Session;
import dev.codepilot.session.SessionStore;
import dev.codepilot.session.SessionStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What saving one step costs when the session already holds 10, 100 or 500 steps: the file store
 * rewrites the whole history (and forces it to disk), the PostgreSQL store appends the step's two
 * rows in one transaction. Each step is a typical one: a 600-character reply and a 1.8 KB execution
 * result, as in {@link Workload}.
 *
 * <p>Options: {@code --steps 10,100,500} (histories to measure at), {@code --saves 30} (timed saves
 * per size, after 5 untimed), {@code --store URL} (a session database, e.g. {@code
 * jdbc:postgresql://127.0.0.1/bench?user=u&password=p}; without it only the file store is
 * measured), {@code --dir DIR} (where the file sessions go; default a temporary folder).
 */
public final class SessionSaveCost {

  private static final int WARMUP = 5;

  private SessionSaveCost() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    List<Integer> sizes = args.integers("steps", "10,100,500");
    int saves = args.integer("saves", 30);
    String url = args.string("store", null);
    Path dir =
        args.string("dir", null) != null
            ? Path.of(args.string("dir", null))
            : Files.createTempDirectory("codepilot-save-cost");
    System.out.println(Machine.describe());
    System.out.printf(
        Locale.ROOT,
        "%-10s %7s %11s %11s %11s%n",
        "store",
        "steps",
        "median ms",
        "p90 ms",
        "max ms");
    for (int size : sizes) {
      report("file", size, measure(new FileSession("bench-" + size, "Bench", dir), size, saves));
    }
    if (url != null) {
      try (SessionStore store = SessionStores.open(url, null, null)) {
        for (int size : sizes) {
          String id = "bench-" + size + "-" + ProcessHandle.current().pid();
          double[] times = measure(store.open(id, "Bench"), size, saves);
          report("postgres", size, times);
          store.delete(id);
        }
      }
    }
  }

  /** Fills the session with {@code size} steps, then times {@code saves} one-step saves. */
  static double[] measure(Session session, int size, int saves) {
    try (session) {
      session.load();
      List<Message> history = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        addStep(history, i);
      }
      session.save(history);
      double[] times = new double[saves];
      for (int i = 0; i < WARMUP + saves; i++) {
        addStep(history, size + i);
        long start = System.nanoTime();
        session.save(history);
        long took = System.nanoTime() - start;
        if (i >= WARMUP) {
          times[i - WARMUP] = took / 1e6;
        }
      }
      session.reset();
      return times;
    }
  }

  private static void addStep(List<Message> history, int step) {
    history.add(
        Message.assistant("```python\n# step " + step + "\n" + "x = 1\n".repeat(95) + "```"));
    history.add(
        Message.user("[EXECUTION RESULT]\n" + ("line of output " + step + "\n").repeat(90)));
  }

  private static void report(String store, int size, double[] times) {
    double[] sorted = times.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-10s %7d %11.2f %11.2f %11.2f%n",
        store,
        size,
        sorted[sorted.length / 2],
        sorted[(int) Math.ceil(sorted.length * 0.9) - 1],
        sorted[sorted.length - 1]);
  }
}
