package dev.codepilot.sandbox;

import java.time.Duration;

/**
 * The wording of a block's result when something other than the block's own code decided it: a
 * refusal, a time-out, a stop for memory, an interpreter that failed or was released. The texts are
 * what the model reads, so each says what happened and what is left of the namespace.
 */
final class BlockResults {

  private static final String MEMORY_STOPPED =
      "MemoryError: the block was stopped because the"
          + " Java heap that all agents share was nearly full, so the Python interpreter was"
          + " restarted to free it; variables and imports from earlier blocks are gone. Work on"
          + " less data at a time.";

  /**
   * A block stopped by the memory guard. Made in advance so that it can be handed out when the heap
   * is full.
   */
  static final ExecutionResult OUT_OF_MEMORY =
      new ExecutionResult(ExecutionResult.Status.RESET, "", MEMORY_STOPPED);

  private BlockResults() {}

  /** The result {@code _cp_run} reported, by its status word. */
  static ExecutionResult ofRun(String status, String detail, String output) {
    return switch (status) {
      case "ok" -> new ExecutionResult(ExecutionResult.Status.OK, output, "");
      case "security" -> new ExecutionResult(ExecutionResult.Status.REJECTED, "", detail);
      case "memory" ->
          new ExecutionResult(
              ExecutionResult.Status.RESET,
              output,
              detail
                  + "\nThe block ran out of memory. The Python namespace was cleared to free it;"
                  + " variables and imports from earlier blocks are gone.");
      default -> new ExecutionResult(ExecutionResult.Status.ERROR, output, detail);
    };
  }

  /** A block the policy refused. */
  static ExecutionResult refused(String reason) {
    return new ExecutionResult(ExecutionResult.Status.REJECTED, "", reason);
  }

  /**
   * A block the policy could not parse: its compile error, or a refusal when the block's own
   * interpreter compiles it after all ({@code compileError} empty).
   */
  static ExecutionResult unparseable(String compileError) {
    return compileError.isEmpty()
        ? refused("the block could not be parsed to be checked")
        : new ExecutionResult(ExecutionResult.Status.ERROR, "", compileError);
  }

  /** A block interrupted at its time limit; its namespace is kept. */
  static ExecutionResult timedOut(Duration limit, String output) {
    return new ExecutionResult(
        ExecutionResult.Status.TIMEOUT,
        output,
        "TimeoutError: the control block ran for more than "
            + formatSeconds(limit)
            + " and was stopped. Variables it set before that are kept.");
  }

  /** The wall refused an operation no Python layer turned into a PermissionError first. */
  static ExecutionResult wallRefused(String message, String output) {
    return new ExecutionResult(
        ExecutionResult.Status.ERROR,
        output,
        "PermissionError: the sandbox refused an operation of the block ("
            + message
            + "); the block stopped there. Variables it set before that are kept.");
  }

  /** A block that could not be interrupted at its limit; the interpreter was restarted. */
  static ExecutionResult notInterruptible(Duration limit) {
    return reset(
        "TimeoutError: the control block ran for more than "
            + formatSeconds(limit)
            + " and could not be interrupted, so the Python interpreter was restarted;"
            + " variables and imports from earlier blocks are gone.");
  }

  /** A block stuck in one operation past its limit and the grace time: abandoned. */
  static ExecutionResult abandoned(Duration limit) {
    return reset(
        "TimeoutError: the control block ran for more than "
            + formatSeconds(limit)
            + " inside one operation that could not be interrupted (such as arithmetic on"
            + " a huge integer), so the Python interpreter was abandoned and a fresh one"
            + " started; variables and imports from earlier blocks are gone.");
  }

  /** A block that exited the interpreter. */
  static ExecutionResult exited() {
    return reset(
        "SystemExit: the block exited the Python interpreter, so it was restarted;"
            + " variables and imports from earlier blocks are gone.");
  }

  /** A block that exhausted a resource of the interpreter other than the heap. */
  static ExecutionResult exhausted(String message) {
    return reset(
        "MemoryError: the block exhausted a resource ("
            + message
            + "), so the Python"
            + " interpreter was restarted; variables and imports from earlier blocks are gone.");
  }

  /** The interpreter failed in a way none of the above names. */
  static ExecutionResult interpreterFailed(String message) {
    return reset(
        "RuntimeError: the Python interpreter failed ("
            + message
            + ") and was"
            + " restarted; variables and imports from earlier blocks are gone.");
  }

  /** The block tampered with what {@code _cp_run} returns. */
  static ExecutionResult malformed(RuntimeException e) {
    return reset(
        "RuntimeError: the Python interpreter returned a malformed result ("
            + e
            + ") and was restarted; variables and imports from earlier blocks are gone.");
  }

  /** The notice on the first block after an idle release discarded a used namespace. */
  static String releasedNotice(Duration idleRelease) {
    String when =
        idleRelease.isZero()
            ? "when its previous run ended"
            : "after it was idle for more than " + formatDuration(idleRelease);
    return "[Note: this agent's Python interpreter was released "
        + when
        + ", to free memory; variables, functions and imports from blocks before this one"
        + " are gone.]";
  }

  private static ExecutionResult reset(String error) {
    return new ExecutionResult(ExecutionResult.Status.RESET, "", error);
  }

  private static String formatDuration(Duration duration) {
    long minutes = duration.toMinutes();
    if (minutes >= 1 && duration.toSecondsPart() == 0) {
      return minutes + (minutes == 1 ? " minute" : " minutes");
    }
    return formatSeconds(duration);
  }

  private static String formatSeconds(Duration duration) {
    double seconds = duration.toMillis() / 1000.0;
    String number =
        seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    return number + " s";
  }
}
