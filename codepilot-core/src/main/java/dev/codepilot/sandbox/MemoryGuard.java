package dev.codepilot.sandbox;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.management.NotificationEmitter;

/**
 * Stops control blocks before they fill the Java heap. GraalPy has no per-context heap limit, and
 * every runtime of the JVM (all sessions of a server) shares one heap: a block that keeps
 * allocating would otherwise run the heap out, and the {@link OutOfMemoryError} that follows
 * strikes whichever thread allocates next, the watchdog and other sessions included.
 *
 * <p>One daemon thread for the whole JVM watches the long-lived part of the heap (the old or
 * tenured generation, or the whole heap where the collector has one pool). While blocks run it
 * samples that usage every few milliseconds, and the JVM's usage-threshold notifications wake it at
 * once. When the usage passes the limit (a share of what that part can hold at most, which is the
 * maximum heap with the default collector; {@value #DEFAULT_SHARE} by default) and a full
 * collection confirms that it is not garbage, it stops the running block that has allocated the
 * most since it started; if the heap is still over the limit once that block is gone, the next one,
 * and so on. The stopped block's sandbox reports a {@code MemoryError} and discards its
 * interpreter, which frees whatever the namespace held.
 *
 * <p>The share is read from the system property {@value #SHARE_PROPERTY}, else the environment
 * variable {@value #SHARE_VARIABLE}: a number above 0 and at most 1.
 *
 * <p>The guard's threads are started with the guard, not when they are needed, and each sample
 * allocates only the JVM's few-byte usage figures; an {@link OutOfMemoryError} on either thread is
 * caught and the next sample tries again, so a full heap cannot end the guard.
 */
public final class MemoryGuard {

  /** The system property that sets the share of the maximum heap blocks may fill. */
  public static final String SHARE_PROPERTY = "codepilot.maxMemoryShare";

  /** The environment variable that sets the share, when the system property is not set. */
  public static final String SHARE_VARIABLE = "CODEPILOT_MAX_MEMORY_SHARE";

  /** The share of the maximum heap at which the guard stops blocks, unless set otherwise. */
  public static final double DEFAULT_SHARE = 0.8;

  private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /**
   * How long a stopped block gets to end and free its memory before another is stopped: the
   * interrupt's grace time, and the cancellation after it, in a JVM busy collecting.
   */
  private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final long CONFIRMED_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long FUTILE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);

  private static volatile MemoryGuard shared;

  private final double share;
  private final long limit;
  private final MemoryPoolMXBean[] pools;
  private final com.sun.management.ThreadMXBean threads;

  /** Held weakly: a sandbox that is dropped without being closed must not be kept alive. */
  private final List<WeakReference<Watch>> watches = new CopyOnWriteArrayList<>();

  private final Thread guard;
  private final Thread stopper;

  /** The watch whose block the stopper thread is to stop next; null when there is none. */
  private volatile Watch toStop;

  /** The watch stopped last, and when: the next is stopped only after it settled. */
  private Watch lastStopped;

  private long lastStoppedAt;
  private long lastStoppedBlock;

  /** When a full collection last found the heap over the limit; 0 when that no longer holds. */
  private long confirmedAt;

  /** When a full collection last brought the heap under the limit: none again for a while. */
  private long futileAt;

  private final AtomicInteger running = new AtomicInteger();

  /** Whether the guard's thread waits for a block to start rather than sampling. */
  private volatile boolean idle;

  private MemoryGuard(double share) {
    this.share = share;
    this.pools = longLivedPools();
    this.limit = (long) (capacity(pools) * share);
    this.threads = allocationCounter();
    this.guard =
        Thread.ofPlatform()
            .daemon()
            .name("codepilot-memory-guard")
            .stackSize(256 * 1024)
            .unstarted(this::guardLoop);
    this.stopper =
        Thread.ofPlatform()
            .daemon()
            .name("codepilot-memory-stop")
            .stackSize(256 * 1024)
            .unstarted(this::stopLoop);
    guard.setPriority(Thread.MAX_PRIORITY);
    guard.start();
    stopper.start();
    listenForThresholds();
  }

  /**
   * The JVM's guard, created with the configured share on first use.
   *
   * @throws IllegalArgumentException when the configured share is not a number in (0, 1]; the
   *     message names the setting
   */
  public static MemoryGuard shared() {
    MemoryGuard guard = shared;
    if (guard != null) {
      return guard;
    }
    synchronized (MemoryGuard.class) {
      if (shared == null) {
        shared =
            new MemoryGuard(
                configuredShare(System.getProperty(SHARE_PROPERTY), System.getenv(SHARE_VARIABLE)));
      }
      return shared;
    }
  }

  /** The share of the maximum heap from the property, else the variable, else the default. */
  static double configuredShare(String property, String variable) {
    if (property != null && !property.isBlank()) {
      return parseShare(property, "the system property " + SHARE_PROPERTY);
    }
    if (variable != null && !variable.isBlank()) {
      return parseShare(variable, "the environment variable " + SHARE_VARIABLE);
    }
    return DEFAULT_SHARE;
  }

  private static double parseShare(String text, String source) {
    double value;
    try {
      value = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(
          source
              + " must be a number above 0 and at most 1"
              + " (the share of the maximum Java heap control blocks may fill), not '"
              + text
              + "'");
    }
    return value;
  }

  /** The share of the maximum heap at which blocks are stopped. */
  public double share() {
    return share;
  }

  /** The long-lived heap usage, in bytes, at which blocks are stopped. */
  public long limitBytes() {
    return limit;
  }

  /** The long-lived heap usage the guard compares with its limit, in bytes. */
  public long usedBytes() {
    long used = 0;
    for (MemoryPoolMXBean pool : pools) {
      used += pool.getUsage().getUsed();
    }
    return used;
  }

  /**
   * Watches one sandbox's blocks. {@code stop} is called (on the guard's own thread) to stop the
   * block that runs; it must not wait for the block to end.
   */
  Watch watch(Runnable stop) {
    Watch watch = new Watch(stop);
    watches.removeIf(ref -> ref.get() == null);
    watches.add(new WeakReference<>(watch));
    return watch;
  }

  /** One sandbox's registration: which thread runs its block now, and whether it was stopped. */
  final class Watch implements AutoCloseable {

    private final Runnable stop;
    private volatile Thread runner;
    private volatile long allocatedAtStart;
    private volatile boolean stopped;

    /** How many blocks this sandbox started. */
    private volatile long blocks;

    private Watch(Runnable stop) {
      this.stop = stop;
    }

    /** On the block's thread, as the block starts. */
    synchronized void blockStarted() {
      stopped = false;
      blocks++;
      Thread current = Thread.currentThread();
      allocatedAtStart = allocated(current);
      runner = current;
      if (running.incrementAndGet() == 1 && idle) {
        // The guard sleeps while no block runs; while it samples, it needs no wake-up.
        LockSupport.unpark(guard);
      }
    }

    /** On the block's thread, as the block ends, however it ends. */
    synchronized void blockEnded() {
      // A block abandoned on its old thread ends after its successor started: leave that one.
      if (runner == Thread.currentThread()) {
        clear();
      }
    }

    /** Whether the guard stopped the current (or last) block for memory. */
    boolean stopped() {
      return stopped;
    }

    @Override
    public synchronized void close() {
      clear();
      watches.removeIf(ref -> ref.get() == this || ref.get() == null);
    }

    private void clear() {
      if (runner != null) {
        runner = null;
        running.decrementAndGet();
      }
    }

    private long allocatedSinceStart() {
      Thread thread = runner;
      return thread == null ? -1 : allocated(thread) - allocatedAtStart;
    }
  }

  private long allocated(Thread thread) {
    if (threads == null) {
      return 0;
    }
    try {
      return Math.max(0, threads.getThreadAllocatedBytes(thread.threadId()));
    } catch (RuntimeException unsupported) {
      return 0;
    }
  }

  private void guardLoop() {
    while (true) {
      try {
        if (running.get() > 0) {
          LockSupport.parkNanos(SAMPLE_NANOS);
        } else {
          idle = true;
          if (running.get() == 0) {
            LockSupport.park();
          }
          idle = false;
        }
        if (running.get() > 0 && !settling() && overLimit()) {
          stopBiggest();
        }
      } catch (Throwable e) {
        // An OutOfMemoryError here must not end the guard: the next sample tries again.
      }
    }
  }

  /**
   * Whether the long-lived heap holds more than the limit. A sample over it may be garbage not yet
   * collected (a namespace just discarded, say), so it is confirmed by a full collection; one
   * confirmation stands for a moment, until a block is stopped, while a collection that found
   * garbage is not repeated for a while, so the guard never keeps the collector busy.
   */
  private boolean overLimit() {
    if (usedBytes() <= limit) {
      return false;
    }
    long now = System.nanoTime();
    if (confirmedAt != 0 && now - confirmedAt < CONFIRMED_NANOS) {
      return true;
    }
    if (futileAt != 0 && now - futileAt < FUTILE_PAUSE_NANOS) {
      return false;
    }
    System.gc();
    if (usedBytes() <= limit) {
      futileAt = System.nanoTime();
      confirmedAt = 0;
      return false;
    }
    confirmedAt = System.nanoTime();
    return true;
  }

  /**
   * Whether the block stopped last is still ending: until it has, what it holds cannot be freed,
   * and stopping another block would not help.
   */
  private boolean settling() {
    Watch stopped = lastStopped;
    return stopped != null
        && stopped.runner != null
        && stopped.blocks == lastStoppedBlock
        && System.nanoTime() - lastStoppedAt < SETTLE_NANOS;
  }

  /** Hands the running block that has allocated the most to the stopper thread. */
  private void stopBiggest() {
    long now = System.nanoTime();
    Watch biggest = null;
    long most = -1;
    for (int i = 0; i < watches.size(); i++) {
      Watch watch;
      try {
        watch = watches.get(i).get();
      } catch (IndexOutOfBoundsException removedMeanwhile) {
        break;
      }
      if (watch == null || watch.runner == null || watch.stopped) {
        continue;
      }
      long allocated = watch.allocatedSinceStart();
      if (allocated > most) {
        most = allocated;
        biggest = watch;
      }
    }
    if (biggest == null) {
      return;
    }
    biggest.stopped = true;
    // What the stopped block held is garbage soon: the next decision collects first.
    confirmedAt = 0;
    futileAt = 0;
    lastStopped = biggest;
    lastStoppedBlock = biggest.blocks;
    lastStoppedAt = now;
    toStop = biggest;
    LockSupport.unpark(stopper);
  }

  private void stopLoop() {
    while (true) {
      try {
        Watch watch = toStop;
        if (watch == null) {
          LockSupport.park();
          continue;
        }
        toStop = null;
        watch.stop.run();
      } catch (Throwable e) {
        // As in the guard's loop: keep serving.
      }
    }
  }

  /**
   * What the long-lived pools can hold at most: the old generation's own maximum where it has one
   * (with the serial and parallel collectors it is a part of the heap), else the heap's.
   */
  private static long capacity(MemoryPoolMXBean[] pools) {
    long total = 0;
    for (MemoryPoolMXBean pool : pools) {
      long max = pool.getUsage().getMax();
      if (max <= 0) {
        return Runtime.getRuntime().maxMemory();
      }
      total += max;
    }
    return total > 0
        ? Math.min(total, Runtime.getRuntime().maxMemory())
        : Runtime.getRuntime().maxMemory();
  }

  /** Usage-threshold notifications wake the guard as soon as the JVM sees the limit passed. */
  private void listenForThresholds() {
    for (MemoryPoolMXBean pool : pools) {
      long max = pool.getUsage().getMax();
      long threshold = max > 0 ? (long) (max * share) : limit;
      try {
        if (pool.isUsageThresholdSupported()) {
          pool.setUsageThreshold(threshold);
        }
        if (pool.isCollectionUsageThresholdSupported()) {
          pool.setCollectionUsageThreshold(threshold);
        }
      } catch (RuntimeException e) {
        // Another component owns the thresholds: the sampler alone still watches.
      }
    }
    if (ManagementFactory.getMemoryMXBean() instanceof NotificationEmitter emitter) {
      emitter.addNotificationListener(
          (notification, handback) -> {
            String type = notification.getType();
            if (MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(type)
                || MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(type)) {
              LockSupport.unpark(guard);
            }
          },
          null,
          null);
    }
  }

  /**
   * The heap pools that hold long-lived objects: the old or tenured generation, or the whole heap
   * where the collector has a single pool. Young pools are left out: they fill with garbage before
   * every minor collection.
   */
  private static MemoryPoolMXBean[] longLivedPools() {
    List<MemoryPoolMXBean> found = new ArrayList<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      String name = pool.getName().toLowerCase(Locale.ROOT);
      if (pool.getType() == MemoryType.HEAP
          && !name.contains("eden")
          && !name.contains("survivor")
          && !name.contains("young")) {
        found.add(pool);
      }
    }
    return found.toArray(new MemoryPoolMXBean[0]);
  }

  private static com.sun.management.ThreadMXBean allocationCounter() {
    try {
      if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
          && bean.isThreadAllocatedMemorySupported()) {
        if (!bean.isThreadAllocatedMemoryEnabled()) {
          bean.setThreadAllocatedMemoryEnabled(true);
        }
        return bean;
      }
    } catch (RuntimeException | LinkageError e) {
      // Not a HotSpot JVM: every running block counts the same, the first one is stopped.
    }
    return null;
  }
}
