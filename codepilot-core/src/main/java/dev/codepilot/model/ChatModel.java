package dev.codepilot.model;

/**
 * A language model the runtime can ask for the next reply. Implementations are created by a {@link
 * ChatModelProvider} from the agent file's {@code model:} section, or passed directly to {@code
 * AgentRuntime.Builder#model}.
 *
 * <p>A model is used by one run at a time, but may be shared by several runtimes only if the
 * implementation says it is thread-safe.
 */
public interface ChatModel extends AutoCloseable {

  /**
   * Asks the model for its next reply, blocking until it is complete. Streamed text goes to the
   * request's listener as it arrives.
   *
   * @throws ModelException when the provider fails for good (after its own retries), is cancelled,
   *     or returns something unusable; the message says what went wrong
   */
  ModelReply complete(ModelRequest request) throws ModelException;

  /** Releases connections and threads. The default does nothing. */
  @Override
  default void close() {}
}
