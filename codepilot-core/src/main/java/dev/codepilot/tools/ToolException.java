package dev.codepilot.tools;

import dev.codepilot.exception.CodePilotException;
import java.util.Objects;

/**
 * A tool failure the control block sees as a Python exception of a chosen built-in type, for
 * example {@code PermissionError} for a path outside the workspace. The block may catch it.
 * Unchecked, like every {@link CodePilotException}; a tool may still declare it.
 */
public class ToolException extends CodePilotException {

  private static final long serialVersionUID = 1L;

  /** The Python exception class name. */
  private final String pythonType;

  /**
   * A failure the block sees as {@code pythonType(message)}.
   *
   * @param pythonType the Python exception class: one of {@code ValueError}, {@code TypeError},
   *     {@code PermissionError}, {@code FileNotFoundError}, {@code IsADirectoryError}, {@code
   *     NotADirectoryError}, {@code FileExistsError}, {@code TimeoutError}, {@code OSError}, {@code
   *     KeyError}, {@code IndexError}, {@code LookupError}, {@code RuntimeError}; anything else
   *     becomes {@code RuntimeError}
   * @param message what went wrong, for the model
   */
  public ToolException(String pythonType, String message) {
    super(message);
    this.pythonType = Objects.requireNonNull(pythonType, "pythonType");
  }

  /** The Python exception class name. */
  public String pythonType() {
    return pythonType;
  }

  /** A {@code ValueError}: an argument has the right type but an unusable value. */
  public static ToolException valueError(String message) {
    return new ToolException("ValueError", message);
  }

  /** A {@code TypeError}: an argument has the wrong type, or is missing or unexpected. */
  public static ToolException typeError(String message) {
    return new ToolException("TypeError", message);
  }

  /** A {@code PermissionError}: the call is not allowed, such as a path outside the workspace. */
  public static ToolException permissionError(String message) {
    return new ToolException("PermissionError", message);
  }

  /** A {@code FileNotFoundError}: a file the call needs does not exist. */
  public static ToolException fileNotFound(String message) {
    return new ToolException("FileNotFoundError", message);
  }

  /** A {@code RuntimeError}: any other failure. */
  public static ToolException runtimeError(String message) {
    return new ToolException("RuntimeError", message);
  }
}
