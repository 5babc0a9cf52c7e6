package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.session.FileSession;
import java.util.Optional;

/** The line that tells whether a file-backed session resumes or starts fresh. */
final class SessionBanner {

  private SessionBanner() {
  }

  /** "Resuming session 'x' (N messages)" or "Starting new session 'x'"; empty for memory. */
  static Optional<String> resumeLine(AgentRuntime runtime) {
    if (!(runtime.session() instanceof FileSession file)) {
      return Optional.empty();
    }
    int count = runtime.messages().size();
    if (count == 0) {
      return Optional.of(TerminalText.line("Starting new session '" + file.sessionId()
          + "' (saved in " + file.path() + ")"));
    }
    return Optional.of("Resuming session '" + TerminalText.line(file.sessionId()) + "' ("
        + count + (count == 1 ? " message)" : " messages)"));
  }
}
