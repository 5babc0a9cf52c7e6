package dev.codepilot.session;

import dev.codepilot.model.Message;
import java.util.List;

/**
 * Where a runtime keeps its conversation history. The runtime loads it once when it is built and
 * saves it after every completed step. Saves run on a background thread, one at a time and in
 * order, so that a slow save overlaps the next model call; the runtime waits for a save before it
 * runs the next block and before {@code run} returns.
 *
 * <p>Implementations: {@link InMemorySession} (the default) and {@link FileSession}.
 */
public interface Session extends AutoCloseable {

  /** The session's id; never null or blank. */
  String sessionId();

  /**
   * The saved history, oldest first; empty for a new session.
   *
   * @throws SessionException when saved history exists but cannot be read; it is never silently
   *     replaced by an empty one
   */
  List<Message> load();

  /**
   * Replaces the saved history with {@code messages}.
   *
   * @throws SessionException when the history cannot be stored; what was saved before stays
   */
  void save(List<Message> messages);

  /** Deletes the saved history. */
  void reset();

  /** Releases what the session holds (a file lock). The default does nothing. */
  @Override
  default void close() {}
}
