package dev.codepilot.cli;

import sun.misc.Signal;

/** Ctrl-C (SIGINT) for a process without a terminal, e.g. {@code kill -INT} or a CI runner. */
final class Interrupts {

  private Interrupts() {
  }

  /** Runs {@code handler} on each SIGINT instead of ending the JVM. */
  static void handle(Runnable handler) {
    try {
      Signal.handle(new Signal("INT"), signal -> handler.run());
    } catch (IllegalArgumentException e) {
      // The platform has no SIGINT, or the JVM was started with -Xrs: keep the default.
    }
  }
}
