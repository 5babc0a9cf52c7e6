package dev.codepilot.loop;

import dev.codepilot.internal.Json;
import dev.codepilot.model.Message;
import dev.codepilot.model.Role;
import dev.codepilot.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The runtime's history and where it is kept. Every change is saved in the background, one save at
 * a time and in order, so that a durable save (a file write and two fsyncs) overlaps the next model
 * call instead of adding to the step; {@link #awaitSaved()} waits for it. The loop waits before it
 * runs the next block, so no step's effects happen before the previous step is saved, and a crash
 * loses at most the step in flight. Thread-safe.
 *
 * <p>No message is longer than a session file may hold ({@link Json#MAX_STORED_STRING_LENGTH}): a
 * longer one is cut, with a note saying so, before it enters the history, so that every history
 * that is saved can be loaded again.
 */
public final class Conversation {

  private static final Executor SAVER =
      runnable -> Thread.ofVirtual().name("codepilot-session-save").start(runnable);

  private final Session session;
  private final List<Message> messages;

  /** The newest history not yet handed to the session; null when there is none. */
  private List<Message> unsaved;

  /** The last save scheduled; it completes when everything appended before it is saved. */
  private CompletableFuture<Void> saving = CompletableFuture.completedFuture(null);

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

  /**
   * Appends messages, each cut to {@link Json#MAX_STORED_STRING_LENGTH}, and starts saving the
   * history; see {@link #awaitSaved()}.
   */
  public synchronized void append(Message... added) {
    for (Message message : added) {
      messages.add(withinLimit(message));
    }
    unsaved = List.copyOf(messages);
    // A save that fails is retried by the next one, which saves the newest history anyway.
    saving = saving.exceptionally(failure -> null).thenRunAsync(this::saveNewest, SAVER);
  }

  /**
   * Waits until everything appended so far is saved. A failed save is reported once: the next call
   * does not throw for it again, and the next append saves the whole history anew.
   *
   * @throws dev.codepilot.session.SessionException when the newest save failed; the session then
   *     holds an older history
   */
  public void awaitSaved() {
    CompletableFuture<Void> last;
    synchronized (this) {
      last = saving;
    }
    try {
      last.join();
    } catch (CompletionException e) {
      synchronized (this) {
        if (saving == last) {
          saving = CompletableFuture.completedFuture(null);
        }
      }
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Empties the history and deletes what the session saved. Not while a run appends to it. */
  public void clear() {
    awaitQuietly();
    synchronized (this) {
      messages.clear();
      unsaved = null;
    }
    // Outside the monitor: file IO under one would pin a virtual thread's carrier.
    session.reset();
  }

  /** Waits for the pending save, then closes the session. */
  public void close() {
    try {
      awaitQuietly();
    } finally {
      session.close();
    }
  }

  /** {@code message}, its content cut to the longest text the history keeps. */
  static Message withinLimit(Message message) {
    String content =
        withinLimit(message.content(), message.role() == Role.ASSISTANT ? "reply" : "message");
    return content == message.content() ? message : new Message(message.role(), content);
  }

  /**
   * {@code text} itself when it fits in {@link Json#MAX_STORED_STRING_LENGTH} characters; otherwise
   * its head and a note, {@code [... reply cut: N chars over the limit of M ...]}, together at most
   * that long.
   *
   * @param what what the text is, for the note: "reply", "message"
   */
  static String withinLimit(String text, String what) {
    int limit = Json.MAX_STORED_STRING_LENGTH;
    if (text.length() <= limit) {
      return text;
    }
    String note =
        "\n[... "
            + what
            + " cut: "
            + (text.length() - limit)
            + " chars over the limit of "
            + limit
            + " ...]";
    int head = limit - note.length();
    if (Character.isHighSurrogate(text.charAt(head - 1))) {
      head--;
    }
    return text.substring(0, head) + note;
  }

  private void saveNewest() {
    List<Message> snapshot;
    synchronized (this) {
      snapshot = unsaved;
      unsaved = null;
    }
    if (snapshot == null) {
      return;
    }
    try {
      session.save(snapshot);
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        if (unsaved == null) {
          unsaved = snapshot;
        }
      }
      throw e;
    }
  }

  /** Waits for the pending save; its failure was or will be reported by awaitSaved. */
  private void awaitQuietly() {
    try {
      awaitSaved();
    } catch (RuntimeException e) {
      // Reported to whoever awaits the run; closing and clearing go on regardless.
    }
  }
}
