package dev.codepilot.server;

import dev.codepilot.exception.CodePilotException;

/** The server could not start: its address is taken or cannot be bound. */
public final class ServerException extends CodePilotException {

  private static final long serialVersionUID = 1L;

  ServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
