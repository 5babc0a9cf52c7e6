package dev.codepilot.session;

import dev.codepilot.model.Message;
import java.util.List;
import java.util.Objects;

/** History kept in memory only: no I/O, nothing survives the process. Thread-safe. */
public final class InMemorySession implements Session {

  private final String sessionId;
  private volatile List<Message> messages = List.of();

  /** A session with the id {@code "default"}. */
  public InMemorySession() {
    this("default");
  }

  /** An empty session with the given id (any text; nothing is stored under it). */
  public InMemorySession(String sessionId) {
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public List<Message> load() {
    return messages;
  }

  @Override
  public void save(List<Message> newMessages) {
    messages = List.copyOf(newMessages);
  }

  @Override
  public void reset() {
    messages = List.of();
  }
}
