package dev.codepilot.sandbox;

import java.util.Objects;

/**
 * What happened to one control block.
 *
 * @param status what kind of ending it had
 * @param output what the block printed, already cut to the output limit
 * @param error for {@link Status#ERROR}, {@link Status#TIMEOUT} and {@link Status#RESET}, the
 *     traceback or explanation; for {@link Status#REJECTED}, the policy's reason; empty otherwise
 * @param notice something the model should know about the interpreter itself, whatever the status:
 *     that the namespace of earlier blocks was released while the runtime was idle; empty when
 *     there is nothing to say
 */
public record ExecutionResult(Status status, String output, String error, String notice) {

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
     * It exhausted memory, exited the interpreter or could not be stopped; the Python namespace was
     * discarded and a fresh one is ready.
     */
    RESET
  }

  public ExecutionResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(notice, "notice");
  }

  /** A result with no notice. */
  public ExecutionResult(Status status, String output, String error) {
    this(status, output, error, "");
  }

  /** This result with a notice. */
  ExecutionResult withNotice(String text) {
    return new ExecutionResult(status, output, error, text);
  }
}
