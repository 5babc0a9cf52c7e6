package dev.codepilot.sandbox;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;

/**
 * Interpreters made ahead of need, for hosts that start runtimes over a long life (a server, a
 * command-line daemon): a new runtime's first block then finds its interpreter ready instead of
 * waiting the ~100 ms of CPU it takes to create one. Empty, and costing nothing, until {@link
 * #prewarm(int)} asks for contexts; each one holds a few megabytes of heap.
 *
 * <p>A pooled context is built and bootstrapped exactly as any other, has never run a block and is
 * not yet configured: the sandbox that takes it binds its own host functions. So nothing of one
 * runtime can reach another through the pool. A taken context is replaced in the background, one at
 * a time on one daemon thread.
 */
public final class ContextPool {

  private static final ConcurrentLinkedQueue<Context> READY = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger TARGET = new AtomicInteger();

  /** Contexts in the pool or being made for it. */
  private static final AtomicInteger PLANNED = new AtomicInteger();

  private static final ThreadPoolExecutor MAKER =
      new ThreadPoolExecutor(
          0,
          1,
          30,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          Thread.ofPlatform()
              .daemon()
              .name("codepilot-context-pool")
              .stackSize(16L * 1024 * 1024)
              .factory());

  private ContextPool() {}

  /**
   * Keeps {@code contexts} interpreters ready from now on, made in the background, and returns at
   * once; a larger number than before raises the target, a smaller one lowers it (contexts already
   * made stay until taken). Zero turns the pool off.
   *
   * @throws IllegalArgumentException if {@code contexts} is negative
   */
  public static void prewarm(int contexts) {
    if (contexts < 0) {
      throw new IllegalArgumentException("contexts must be zero or more, not " + contexts);
    }
    TARGET.set(contexts);
    SandboxEngine.prewarm();
    PolicyChecker.SHARED.prewarm();
    fill();
  }

  /** How many contexts are ready now. */
  public static int ready() {
    return READY.size();
  }

  /** A bootstrapped, unconfigured context, or null when none is ready. */
  static Context take() {
    Context context = READY.poll();
    if (context != null) {
      PLANNED.decrementAndGet();
      fill();
    }
    return context;
  }

  private static void fill() {
    while (true) {
      int planned = PLANNED.get();
      if (planned >= TARGET.get()) {
        return;
      }
      if (PLANNED.compareAndSet(planned, planned + 1)) {
        MAKER.execute(ContextPool::makeOne);
      }
    }
  }

  private static void makeOne() {
    try {
      READY.add(BlockContext.bootstrapped());
    } catch (RuntimeException | OutOfMemoryError e) {
      // Not made: a sandbox that finds none makes its own and reports any failure itself.
      PLANNED.decrementAndGet();
    }
  }
}
