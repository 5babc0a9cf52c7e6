package dev.codepilot.sandbox;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one thread a sandbox does all its work on: every call into its context happens there, so
 * callers may be on any thread, virtual ones included. The thread has a large stack (deeply nested
 * Python needs it), ends after 30 s without work and is started again on demand. When a block is
 * stuck in an operation no interrupt reaches, {@link #replace()} leaves that thread behind and
 * later work runs on a fresh one.
 */
final class SandboxThread {

  private static final long STACK_SIZE = 16L * 1024 * 1024;

  private volatile ThreadPoolExecutor executor = newExecutor();

  private static ThreadPoolExecutor newExecutor() {
    return new ThreadPoolExecutor(
        0,
        1,
        30,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        runnable -> {
          Thread t = new Thread(null, runnable, "codepilot-python", STACK_SIZE);
          t.setDaemon(true);
          return t;
        });
  }

  /** Queues {@code work}; a future failed with {@link IllegalStateException} once shut down. */
  <T> CompletableFuture<T> submit(Supplier<T> work) {
    ThreadPoolExecutor current = executor;
    if (current.isShutdown()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the sandbox is closed"));
    }
    return CompletableFuture.supplyAsync(work, current);
  }

  /**
   * Moves to a fresh thread: the current one finishes what it is doing (it may be stuck) and takes
   * no more work.
   */
  void replace() {
    ThreadPoolExecutor old = executor;
    executor = newExecutor();
    old.shutdown();
  }

  /** Takes no more work; what is queued still runs. */
  void shutdown() {
    executor.shutdown();
  }

  /**
   * The future's value, waiting without giving up on interrupts (the interrupt is kept for the
   * caller); its failure is thrown as it is when unchecked.
   */
  static <T> T await(CompletableFuture<T> future) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
