package dev.codepilot.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The session options shared by {@code run} and {@code chat}. */
final class SessionOptions {

  @Option(
      names = "--session",
      paramLabel = "memory|file",
      description =
          "Where the conversation is kept (default: the agent file's session:"
              + " section, else memory).")
  String backend;

  @Option(
      names = "--session-store",
      paramLabel = "URL",
      description =
          "Keep the conversation in this session database, e.g."
              + " jdbc:postgresql://host/db?user=u&password=p (wins over --session).")
  String store;

  @Option(
      names = "--session-id",
      paramLabel = "ID",
      description = "Session id; defaults to the agent's name in lower case.")
  String sessionId;

  @Option(
      names = "--session-dir",
      paramLabel = "DIR",
      description = "Where file sessions are kept (default: ~/.codepilot/sessions).")
  Path sessionDir;
}
