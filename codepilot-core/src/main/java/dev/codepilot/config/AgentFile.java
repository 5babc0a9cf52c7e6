package dev.codepilot.config;

import java.nio.file.Path;

/** Temporary placeholder until the loader lands. */
public final class AgentFile {
  private AgentFile() {
  }

  public static AgentConfig load(Path file) throws AgentFileException {
    throw new AgentFileException(file, "not implemented yet");
  }
}
