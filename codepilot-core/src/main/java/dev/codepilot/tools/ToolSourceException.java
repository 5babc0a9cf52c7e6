package dev.codepilot.tools;

import dev.codepilot.exception.CodePilotException;

/**
 * A {@link ToolSource} could not be started or reached, such as an MCP server whose program does
 * not exist. The message names the source and the cause; {@code codepilot run} ends with exit code
 * 2.
 */
public class ToolSourceException extends CodePilotException {

  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public ToolSourceException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public ToolSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
