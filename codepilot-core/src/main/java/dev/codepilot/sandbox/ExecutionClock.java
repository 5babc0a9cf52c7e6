package dev.codepilot.sandbox;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures the time a block spends in Python, not in host tools, and raises the alarm when it
 * exceeds the budget. {@link #pause()} and {@link #resume()} bracket every tool call.
 */
final class ExecutionClock {

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
      runnable -> Thread.ofPlatform().daemon().name("codepilot-watchdog").unstarted(runnable));

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
    cancelPending();
  }

  synchronized void resume() {
    if (running || expired) {
      return;
    }
    running = true;
    segmentStart = System.nanoTime();
    long remaining = Math.max(0, budgetNanos - usedNanos);
    pending = TIMER.schedule(this::fire, remaining, TimeUnit.NANOSECONDS);
  }

  synchronized void stop() {
    pause();
  }

  /** True once the budget ran out during this block. */
  synchronized boolean expired() {
    return expired;
  }

  private void fire() {
    synchronized (this) {
      if (!running) {
        return;
      }
      expired = true;
    }
    Thread.ofVirtual().name("codepilot-interrupt").start(alarm);
  }

  private void cancelPending() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }
}
