package dev.codepilot.config;

import java.nio.file.Path;

/** Temporary placeholder until the loader lands. */
public class AgentFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public AgentFileException(Path file, String message) {
    super(file + ": " + message);
  }
}
