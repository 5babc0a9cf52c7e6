package dev.codepilot.session;

import dev.codepilot.exception.CodePilotException;
import java.nio.file.Path;
import java.util.Optional;

/** A session could not be opened, read or written. The message says which file and why. */
public class SessionException extends CodePilotException {

  private static final long serialVersionUID = 1L;

  private final transient Path path;

  /**
   * A session failure.
   *
   * @param message what failed, naming the file and the cause
   * @param path the session file concerned, or null
   * @param cause the underlying failure, or null
   */
  public SessionException(String message, Path path, Throwable cause) {
    super(message, cause);
    this.path = path;
  }

  /** A failure with no underlying exception. */
  public SessionException(String message, Path path) {
    this(message, path, null);
  }

  /** The session file concerned, when there is one. */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }
}
