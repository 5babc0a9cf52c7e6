package dev.codepilot.session;

import dev.codepilot.model.Message;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A place outside the process where many sessions live, shared by every process that opens it (a
 * database, for example). Stores are found by {@link SessionStores#open} through {@link
 * SessionStoreProvider}s on the class path, so the core needs no driver of its own.
 *
 * <p>A store hands out {@link Session}s that keep the same promises as {@link FileSession}: one
 * writer per session across all processes, and every save durable before it returns. Reading
 * ({@link #list}, {@link #metadata}, {@link #readMessages}) never locks. Thread-safe.
 */
public interface SessionStore extends AutoCloseable {

  /**
   * A session of this store. Nothing is locked until its first {@code load}, {@code save} or {@code
   * reset}; a session that another process runs is then refused with a {@link SessionException}
   * naming the holder.
   *
   * @throws IllegalArgumentException when {@code sessionId} is not a valid id
   */
  Session open(String sessionId, String agentName);

  /** Every session, most recently updated first. */
  List<SessionInfo> list();

  /** One session's metadata; empty when the store has no such session. */
  Optional<SessionInfo> metadata(String sessionId);

  /** One session's history, oldest first, read without locking; empty when there is none. */
  Optional<List<Message>> readMessages(String sessionId);

  /**
   * Deletes a session.
   *
   * @return false when there was no such session
   * @throws SessionException when the session is running somewhere
   */
  boolean delete(String sessionId);

  /**
   * Who holds the session's lock right now, as "host H (pid P) since T", or empty when nobody runs
   * it.
   */
  Optional<String> holder(String sessionId);

  /**
   * Sends one live event of a session (a JSON text) to the other processes that watch this store,
   * for example the other servers behind one load balancer. Delivery is best effort and in order
   * per sender; nothing is kept for a process that is not listening.
   *
   * @return false when the event was not sent (too large for the store's channel, or the store
   *     cannot carry events); the default sends nothing
   */
  default boolean publishEvent(String sessionId, String event) {
    return false;
  }

  /**
   * Calls {@code listener} with (session id, event) for every event another process publishes, on a
   * thread of the store's, until the returned handle is closed. The default never calls it.
   */
  default AutoCloseable subscribeEvents(BiConsumer<String, String> listener) {
    return () -> {};
  }

  /** Where the store lives, without credentials, for messages. */
  String location();

  /** Releases the store's connections. Sessions opened from it must be closed first. */
  @Override
  void close();
}
