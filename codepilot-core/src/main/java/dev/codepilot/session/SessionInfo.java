package dev.codepilot.session;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A saved session's metadata, read without loading its messages into a runtime.
 *
 * @param sessionId the session's id
 * @param agentName the agent that wrote it
 * @param createdAt when the session was first saved
 * @param updatedAt when it was last saved
 * @param messageCount how many messages it holds
 * @param path the session file; null for a session kept in a {@link SessionStore}
 */
public record SessionInfo(
    String sessionId,
    String agentName,
    Instant createdAt,
    Instant updatedAt,
    int messageCount,
    Path path) {

  /** Checks that no reference component but {@code path} is null. */
  public SessionInfo {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(agentName, "agentName");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
