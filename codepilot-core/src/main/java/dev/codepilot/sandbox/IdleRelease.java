package dev.codepilot.sandbox;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * When a sandbox's context is released for idleness: every use cancels a pending release, and
 * {@link #schedule} arranges one that happens only if the sandbox is not used again within the idle
 * timeout. The release itself (closing the context) is the caller's.
 */
final class IdleRelease {

  /** Runs the releases of all sandboxes; one daemon thread for the whole JVM. */
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final Duration timeout;

  /** Bumped by every use, so that a release scheduled before it does nothing. Guarded by this. */
  private long uses;

  private ScheduledFuture<?> pending;

  /**
   * @param timeout how long an unused sandbox keeps its context; zero or more
   */
  IdleRelease(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("idleRelease must not be negative");
    }
    this.timeout = timeout;
  }

  Duration timeout() {
    return timeout;
  }

  /** The sandbox is in use: a pending release is cancelled. */
  synchronized void markUsed() {
    uses++;
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  /**
   * After the idle timeout, hands {@code release} a token to {@link #claim}: the release goes ahead
   * only if the claim succeeds, that is if there was no use since this call (itself a use).
   */
  synchronized void schedule(java.util.function.LongConsumer release) {
    markUsed();
    long scheduledAt = uses;
    pending =
        TIMER.schedule(
            () -> release.accept(scheduledAt), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the release scheduled at {@code scheduledAt} may go ahead: no use since then. */
  synchronized boolean claim(long scheduledAt) {
    if (uses != scheduledAt) {
      return false;
    }
    pending = null;
    return true;
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("codepilot-sandbox-idle").factory());
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
