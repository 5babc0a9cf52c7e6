package dev.codepilot.cli;

import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) for a process without a terminal, e.g. {@code kill -INT} or a CI runner. In the
 * daemon a command's Ctrl-C arrives from its client instead, as a message, and reaches the same
 * handler.
 */
final class Interrupts {

  /** The current command's handler while the daemon serves it; null in-process. */
  private static final AtomicReference<Runnable> forwarded = new AtomicReference<>();

  private static volatile boolean fromClient;

  private Interrupts() {}

  /** Runs {@code handler} on each SIGINT instead of ending the JVM. */
  static void handle(Runnable handler) {
    if (fromClient) {
      forwarded.set(handler);
      return;
    }
    try {
      Signal.handle(new Signal("INT"), signal -> handler.run());
    } catch (IllegalArgumentException e) {
      // The platform has no SIGINT, or the JVM was started with -Xrs: keep the default.
    }
  }

  /**
   * From now on handlers wait for {@link #deliver()} rather than a signal (the daemon); {@code
   * false} also forgets the last command's handler.
   */
  static void fromClient(boolean enabled) {
    fromClient = enabled;
    forwarded.set(null);
  }

  /** A Ctrl-C from the client: runs the command's handler, or nothing when it has none. */
  static void deliver() {
    Runnable handler = forwarded.get();
    if (handler != null) {
      handler.run();
    }
  }

  /** Whether the command has a handler: without one, a Ctrl-C would have ended the process. */
  static boolean handled() {
    return forwarded.get() != null;
  }
}
