package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.InMemorySession;
import dev.codepilot.session.Session;
import java.util.Optional;

/** The line that tells whether a file-backed session resumes or starts fresh. */
final class SessionBanner {

  private SessionBanner() {}

  /** "Resuming session 'x' (N messages)" or "Starting new session 'x'"; empty for memory. */
  static Optional<String> resumeLine(AgentRuntime runtime) {
    Session session = runtime.session();
    if (session instanceof InMemorySession) {
      return Optional.empty();
    }
    int count = runtime.messages().size();
    if (count == 0) {
      return Optional.of(
          TerminalText.line(
              "Starting new session '"
                  + session.sessionId()
                  + "'"
                  + (session instanceof FileSession file
                      ? " (saved in " + file.path() + ")"
                      : "")));
    }
    return Optional.of(
        "Resuming session '"
            + TerminalText.line(session.sessionId())
            + "' ("
            + count
            + (count == 1 ? " message)" : " messages)"));
  }
}
