package dev.codepilot.loop;

import dev.codepilot.model.Message;
import dev.codepilot.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The runtime's history and where it is kept. Every change is followed by a save, so a crash
 * loses at most the step in flight. Thread-safe.
 */
public final class Conversation {

  private final Session session;
  private final List<Message> messages;

  /** Loads the session's saved history. */
  public Conversation(Session session) {
    this.session = Objects.requireNonNull(session, "session");
    this.messages = new ArrayList<>(session.load());
  }

  /** The session the history is saved to. */
  public Session session() {
    return session;
  }

  /** A copy of the history, oldest first. */
  public synchronized List<Message> messages() {
    return List.copyOf(messages);
  }

  /** How many messages the history holds. */
  public synchronized int size() {
    return messages.size();
  }

  /** Appends messages and saves the history. */
  public synchronized void append(Message... added) {
    messages.addAll(List.of(added));
    session.save(List.copyOf(messages));
  }

  /** Empties the history and deletes what the session saved. */
  public synchronized void clear() {
    messages.clear();
    session.reset();
  }
}
