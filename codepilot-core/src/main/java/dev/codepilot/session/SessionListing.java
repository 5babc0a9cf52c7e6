package dev.codepilot.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The sessions found in a session directory, and the {@code *.json} files there that could not be
 * read as sessions.
 *
 * @param sessions the readable sessions, most recently updated first
 * @param skipped the files left out, with the reason, by path
 */
public record SessionListing(List<SessionInfo> sessions, List<Skipped> skipped) {

  /** Copies both lists. */
  public SessionListing {
    sessions = List.copyOf(sessions);
    skipped = List.copyOf(skipped);
  }

  /**
   * A file in the session directory that is not a readable session.
   *
   * @param path the file
   * @param reason what is wrong with it, e.g. where the JSON is broken
   */
  public record Skipped(Path path, String reason) {

    /** Checks that neither component is null. */
    public Skipped {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
