package dev.codepilot.sandbox;

import java.util.Objects;

/**
 * What happened to one control block.
 *
 * @param status what kind of ending it had
 * @param output what the block printed, already cut to the output limit
 * @param error  for {@link Status#ERROR}, {@link Status#TIMEOUT} and {@link Status#RESET}, the
 *               traceback or explanation; for {@link Status#REJECTED}, the policy's reason;
 *               empty otherwise
 */
public record ExecutionResult(Status status, String output, String error) {

  /** How a control block ended. */
  public enum Status {
    /** It ran to its end. */
    OK,
    /** The policy check refused it; nothing of it ran. */
    REJECTED,
    /** It raised an exception (or did not parse). */
    ERROR,
    /** It ran longer than the execution timeout and was stopped. */
    TIMEOUT,
    /**
     * It exhausted memory, exited the interpreter or could not be stopped; the Python
     * namespace was discarded and a fresh one is ready.
     */
    RESET
  }

  public ExecutionResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(error, "error");
  }
}
