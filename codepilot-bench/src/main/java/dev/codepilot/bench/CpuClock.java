package dev.codepilot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the process spent its CPU between two readings: the sandbox threads (the Python
 * interpreters), the JIT compiler threads, the garbage collector's threads, and everything else
 * (the loop, HTTP client and server, session saves). Per-thread times come from {@code
 * /proc/self/task} (Linux; elsewhere only the total is known), the total from the operating-system
 * bean, so CPU of threads that ended between readings lands in "rest".
 */
record CpuClock(long total, long sandbox, long jit, long gc) {

  private static final Path TASKS = Path.of("/proc/self/task");

  /** Linux reports thread times in clock ticks of 10 ms (USER_HZ 100). */
  private static final long NANOS_PER_TICK = 10_000_000L;

  static CpuClock read() {
    long total = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      total = os.getProcessCpuTime();
    }
    long sandbox = 0;
    long jit = 0;
    long gc = 0;
    try (Stream<Path> tasks = Files.list(TASKS)) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String name;
        long nanos;
        try {
          // comm is the thread name, cut to 15 characters.
          name = Files.readString(task.resolve("comm")).strip();
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
          continue; // the thread ended while being read
        }
        if (name.startsWith("codepilot-pyth")) {
          sandbox += nanos;
        } else if (name.contains("CompilerThre")) {
          jit += nanos;
        } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
          gc += nanos;
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      return new CpuClock(total, -1, -1, -1);
    }
    return new CpuClock(total, sandbox, jit, gc);
  }

  /** The CPU spent since {@code earlier}. */
  CpuClock since(CpuClock earlier) {
    return new CpuClock(
        total - earlier.total,
        minus(sandbox, earlier.sandbox),
        minus(jit, earlier.jit),
        minus(gc, earlier.gc));
  }

  boolean hasParts() {
    return sandbox >= 0;
  }

  long rest() {
    return total - sandbox - jit - gc;
  }

  private static long minus(long now, long before) {
    return now < 0 || before < 0 ? -1 : Math.max(0, now - before);
  }
}
