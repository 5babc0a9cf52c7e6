package dev.codepilot.cli;

/**
 * Ending the command before its {@code call} returns (a second Ctrl-C, a stopped chat or eval).
 * In-process that ends the JVM; in the daemon it ends the command: the client gets the exit code
 * and the daemon, whose state the command may have left half-done, ends too.
 */
final class Exits {

  /** How the daemon ends a command early. */
  interface Handler {
    void exit(int code, boolean halt);
  }

  private static volatile Handler handler;

  private Exits() {}

  /** Like {@link System#exit}: shutdown hooks run. */
  static void exit(int code) {
    Handler current = handler;
    if (current != null) {
      current.exit(code, false);
    }
    System.exit(code);
  }

  /** Like {@link Runtime#halt}: at once, no shutdown hooks. */
  static void halt(int code) {
    Handler current = handler;
    if (current != null) {
      current.exit(code, true);
    }
    Runtime.getRuntime().halt(code);
  }

  /** Set by the daemon for each command; null in-process. */
  static void use(Handler daemon) {
    handler = daemon;
  }
}
