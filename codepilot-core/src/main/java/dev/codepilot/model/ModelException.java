package dev.codepilot.model;

import dev.codepilot.exception.CodePilotException;

/**
 * A model call failed for good. The message is written for the person running the agent: what
 * failed and, where it can be told, what to do about it. Thrown by {@link ChatModel} calls and when
 * a model cannot be created (for example a missing API key); unchecked, like every {@link
 * CodePilotException}.
 */
public class ModelException extends CodePilotException {

  private static final long serialVersionUID = 1L;

  /** True when the request was cancelled rather than failed. */
  private final boolean cancelled;

  /** A failure described by {@code message}. */
  public ModelException(String message) {
    this(message, null, false);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public ModelException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private ModelException(String message, Throwable cause, boolean cancelled) {
    super(message, cause);
    this.cancelled = cancelled;
  }

  /** The request was stopped by {@link Cancellation#cancel()}, not by a failure. */
  public static ModelException cancelled() {
    return new ModelException("model request cancelled", null, true);
  }

  /** True when the call ended because it was cancelled. */
  public boolean isCancelled() {
    return cancelled;
  }
}
