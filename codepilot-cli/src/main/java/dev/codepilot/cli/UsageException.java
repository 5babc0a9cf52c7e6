package dev.codepilot.cli;

/** A problem with what the user asked for: a bad agent file, option or configuration. Exit 2. */
final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
