package dev.codepilot.session;

import dev.codepilot.model.Message;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Creates sessions by backend name, as the agent file, the CLI ({@code --session memory|file}) and
 * the runtime's constructor name them.
 *
 * <pre>{@code
 * Session session = Sessions.create("file", Sessions.defaultSessionId("Backend Engineer"),
 *     "Backend Engineer", null);   // ~/.codepilot/sessions/backend-engineer.json
 * }</pre>
 */
public final class Sessions {

  private Sessions() {}

  /**
   * A new session of the named backend.
   *
   * @param backend {@code "memory"} for an {@link InMemorySession} or {@code "file"} for a {@link
   *     FileSession}
   * @param sessionId the session's id; for {@code "file"} it must be a safe file name
   * @param agentName the agent's name, recorded by file sessions
   * @param sessionDir where file sessions live; null for {@link #defaultDirectory()}. Ignored by
   *     memory sessions.
   * @throws IllegalArgumentException for any other backend name, or an id that a file session
   *     cannot use
   */
  public static Session create(
      String backend, String sessionId, String agentName, Path sessionDir) {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(agentName, "agentName");
    return switch (String.valueOf(backend)) {
      case "memory" -> new InMemorySession(sessionId);
      case "file" -> new FileSession(sessionId, agentName, sessionDir);
      default ->
          throw new IllegalArgumentException(
              "unknown session backend '" + backend + "' (expected 'memory' or 'file')");
    };
  }

  /**
   * A session of {@code store} that closes the store when it is closed: for a runtime that opened
   * the store for itself alone.
   */
  public static Session ownedBy(SessionStore store, String sessionId, String agentName) {
    Session session;
    try {
      session = store.open(sessionId, agentName);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return new Session() {
      @Override
      public String sessionId() {
        return session.sessionId();
      }

      @Override
      public List<Message> load() {
        return session.load();
      }

      @Override
      public void save(List<Message> messages) {
        session.save(messages);
      }

      @Override
      public void reset() {
        session.reset();
      }

      @Override
      public void close() {
        try {
          session.close();
        } finally {
          store.close();
        }
      }

      @Override
      public String toString() {
        return session.toString();
      }
    };
  }

  /**
   * Returns {@code sessionId} when it is a valid session id: ASCII letters, digits, {@code -},
   * {@code _} and {@code .}, at most 128 characters. Every backend keeps to the file rules, so a
   * session can move between backends.
   *
   * @throws IllegalArgumentException naming the id and what is wrong with it
   */
  public static String requireValidId(String sessionId) {
    return SessionIds.requireValid(sessionId);
  }

  /**
   * Where file sessions live by default: {@code .codepilot/sessions} in the user's home directory
   * (the {@code user.home} system property, read on every call). Not created here; the first save
   * creates it.
   */
  public static Path defaultDirectory() {
    return Path.of(System.getProperty("user.home"), ".codepilot", "sessions");
  }

  /**
   * The id a session gets when none is given: the agent name in lower case with spaces as hyphens,
   * e.g. {@code "Backend Engineer"} becomes {@code "backend-engineer"}. Characters a session id may
   * not contain become {@code _} and leading or trailing dots are dropped, so the result is always
   * a valid {@link FileSession} id; an agent name with nothing usable gives {@code "default"}.
   */
  public static String defaultSessionId(String agentName) {
    return SessionIds.defaultFor(Objects.requireNonNull(agentName, "agentName"));
  }
}
