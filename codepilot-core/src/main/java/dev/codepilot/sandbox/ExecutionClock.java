package dev.codepilot.sandbox;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Measures the time a block spends in Python, not in host tools, and raises the alarm when it
 * exceeds the budget. {@link #pause()} and {@link #resume()} bracket every tool call.
 *
 * <p>One timer task watches a block: pausing leaves it in place, and when it comes due while time
 * was spent in tools, it sets itself again for what is left of the budget. So a tool call costs two
 * readings of the clock, not a task scheduled and another cancelled.
 */
final class ExecutionClock {

  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final long budgetNanos;
  private final Runnable alarm;
  private long usedNanos;
  private long segmentStart;
  private boolean running;
  private boolean expired;
  private ScheduledFuture<?> pending;

  ExecutionClock(Duration budget, Runnable alarm) {
    this.budgetNanos = budget.toNanos();
    this.alarm = alarm;
  }

  synchronized void start() {
    usedNanos = 0;
    expired = false;
    resume();
  }

  synchronized void pause() {
    if (!running) {
      return;
    }
    running = false;
    usedNanos += System.nanoTime() - segmentStart;
  }

  synchronized void resume() {
    if (running || expired) {
      return;
    }
    running = true;
    segmentStart = System.nanoTime();
    if (pending == null) {
      arm();
    }
  }

  /** Stops the clock for good: the block is over. */
  synchronized void stop() {
    pause();
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  /** True once the budget ran out during this block. */
  synchronized boolean expired() {
    return expired;
  }

  /** Sets the timer for the budget left, counted from now (clock running, lock held). */
  private void arm() {
    long left = Math.max(0, budgetNanos - usedNanos - (System.nanoTime() - segmentStart));
    pending = TIMER.schedule(this::fire, left, TimeUnit.NANOSECONDS);
  }

  private void fire() {
    synchronized (this) {
      pending = null;
      if (!running) {
        // Paused (in a tool) or stopped: resume() sets the timer again.
        return;
      }
      if (usedNanos + (System.nanoTime() - segmentStart) < budgetNanos) {
        // Time spent in tools since the timer was set does not count: wait for the rest.
        arm();
        return;
      }
      expired = true;
    }
    Thread.ofVirtual().name("codepilot-interrupt").start(alarm);
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable ->
                Thread.ofPlatform().daemon().name("codepilot-watchdog").unstarted(runnable));
    // A finished block's timer would otherwise stay queued until its budget ran out.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
