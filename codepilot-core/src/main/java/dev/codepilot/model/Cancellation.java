package dev.codepilot.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A one-way signal that an in-flight model request should stop. Providers register what closes
 * their connection with {@link #onCancel}; {@link #cancel} runs those actions once, on the calling
 * thread. Thread-safe.
 */
public final class Cancellation {

  private final List<Runnable> actions = new ArrayList<>();
  private boolean cancelled;

  /** A signal that has not fired. */
  public Cancellation() {}

  /** Fires the signal. Later calls do nothing. */
  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = List.copyOf(actions);
      actions.clear();
    }
    toRun.forEach(Runnable::run);
  }

  /** True once {@link #cancel} has been called. */
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /**
   * Runs {@code action} when the signal fires, or at once if it already has. Returns a handle that
   * unregisters the action, for providers whose request ended normally.
   */
  public AutoCloseable onCancel(Runnable action) {
    synchronized (this) {
      if (!cancelled) {
        actions.add(action);
        return () -> {
          synchronized (this) {
            actions.remove(action);
          }
        };
      }
    }
    action.run();
    return () -> {};
  }
}
