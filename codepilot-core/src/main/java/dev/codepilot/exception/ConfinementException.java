package dev.codepilot.exception;

/**
 * A security refusal: the agent asks for a protection that cannot be given here, so CodePilot
 * refuses to start rather than run without it. Today that is {@code runtime.shell.confine: always}
 * on a machine where bubblewrap cannot confine commands; the message says why and what to install.
 */
public class ConfinementException extends CodePilotException {

  private static final long serialVersionUID = 1L;

  /** A refusal described by {@code message}. */
  public ConfinementException(String message) {
    super(message);
  }
}
