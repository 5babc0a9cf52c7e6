package dev.codepilot.postgres;

import dev.codepilot.internal.Json;
import dev.codepilot.model.Message;
import dev.codepilot.session.Session;
import dev.codepilot.session.SessionException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session of a {@link PostgresSessionStore}. The first {@link #load}, {@link #save} or {@link
 * #reset} opens a connection of its own and takes the session's advisory lock on it; every write
 * goes through that connection, and {@link #close} ends it, which drops the lock.
 *
 * <p>A save appends only what is new since the last save (one step: usually two rows) and updates
 * the session's row, in one transaction; a history that changed before its end (which the runtime
 * never does) has its old tail deleted in the same transaction. When the writer connection is lost,
 * the save fails, nothing of it is kept, and the session refuses further writes: its lock may
 * already belong to another process. Running it again resumes from the last saved step.
 * Thread-safe.
 */
public final class PostgresSession implements Session {

  private final PostgresSessionStore store;
  private final String sessionId;
  private final String agentName;
  private final ReentrantLock guard = new ReentrantLock();

  private Connection writer;

  /** What the database holds for this session, as this writer last read or wrote it. */
  private List<Message> stored;

  private boolean rowExists;
  private String lost;
  private boolean closed;

  PostgresSession(PostgresSessionStore store, String sessionId, String agentName) {
    this.store = store;
    this.sessionId = sessionId;
    this.agentName = agentName;
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  /** The store this session lives in. */
  public PostgresSessionStore store() {
    return store;
  }

  /**
   * Takes the lock and reads the saved history.
   *
   * @throws SessionException when the session runs elsewhere ("session 'x' is running on host H
   *     (pid P) since T") or the database cannot be read
   */
  @Override
  public List<Message> load() {
    guard.lock();
    try {
      acquire();
      return List.copyOf(stored);
    } finally {
      guard.unlock();
    }
  }

  /**
   * Takes the lock and stores {@code messages}, appending what is new.
   *
   * @throws SessionException when the lock cannot be had or was lost, a message is longer than a
   *     session may hold, or the database refuses the write; what was saved before stays
   */
  @Override
  public void save(List<Message> messages) {
    List<Message> snapshot = List.copyOf(messages);
    for (int i = 0; i < snapshot.size(); i++) {
      int length = snapshot.get(i).content().length();
      if (length > Json.MAX_STORED_STRING_LENGTH) {
        throw new SessionException(
            "cannot save session '"
                + sessionId
                + "': messages["
                + i
                + "].content has "
                + length
                + " characters, more than the "
                + Json.MAX_STORED_STRING_LENGTH
                + " a session may hold; the previously saved history"
                + " is unchanged",
            null);
      }
    }
    guard.lock();
    try {
      acquire();
      int common = commonPrefix(stored, snapshot);
      if (common == stored.size() && common == snapshot.size() && rowExists) {
        return;
      }
      Timestamp now = Timestamp.from(Instant.now());
      try {
        writer.setAutoCommit(false);
        try (PreparedStatement s =
            writer.prepareStatement(
                "INSERT INTO codepilot_sessions"
                    + " (session_id, agent_name, created_at, updated_at, message_count)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET"
                    + " agent_name = EXCLUDED.agent_name, updated_at = EXCLUDED.updated_at,"
                    + " message_count = EXCLUDED.message_count")) {
          s.setString(1, sessionId);
          s.setString(2, agentName);
          s.setTimestamp(3, now);
          s.setTimestamp(4, now);
          s.setInt(5, snapshot.size());
          s.executeUpdate();
        }
        if (common < stored.size()) {
          try (PreparedStatement s =
              writer.prepareStatement(
                  "DELETE FROM codepilot_messages WHERE session_id = ? AND seq >= ?")) {
            s.setString(1, sessionId);
            s.setInt(2, common);
            s.executeUpdate();
          }
        }
        Rows.insertMessages(writer, sessionId, snapshot, common);
        writer.commit();
        stored = snapshot;
        rowExists = true;
      } catch (SQLException e) {
        rollbackQuietly();
        throw writeFailure("cannot save session '" + sessionId + "'", e);
      } finally {
        autoCommitQuietly();
      }
    } finally {
      guard.unlock();
    }
  }

  /** Takes the lock and deletes the session's history and row. The lock stays held. */
  @Override
  public void reset() {
    guard.lock();
    try {
      acquire();
      try (PreparedStatement s =
          writer.prepareStatement("DELETE FROM codepilot_sessions WHERE session_id = ?")) {
        s.setString(1, sessionId);
        s.executeUpdate();
        stored = List.of();
        rowExists = false;
      } catch (SQLException e) {
        throw writeFailure("cannot delete session '" + sessionId + "'", e);
      }
    } finally {
      guard.unlock();
    }
  }

  /** Ends the writer connection, which releases the lock. Idempotent. */
  @Override
  public void close() {
    guard.lock();
    try {
      closed = true;
      closeWriter(lost == null);
    } finally {
      guard.unlock();
    }
  }

  @Override
  public String toString() {
    return "PostgresSession[" + sessionId + " in " + store.location() + "]";
  }

  private void acquire() {
    if (closed) {
      throw new IllegalStateException("session '" + sessionId + "' is closed");
    }
    if (lost != null) {
      throw new SessionException(lost, null);
    }
    if (writer != null) {
      return;
    }
    Connection c = null;
    try {
      c = store.newWriterConnection();
      try (Statement s = c.createStatement()) {
        // The server notices a dead writer within ~25 s and drops its lock; a quiet writer
        // (a long model call) is never timed out.
        s.execute(
            "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5;"
                + " SET tcp_keepalives_count = 3; SET tcp_user_timeout = 25000;"
                + " SET idle_session_timeout = 0; SET idle_in_transaction_session_timeout = 0");
      }
      if (!Rows.tryLock(c, sessionId)) {
        Optional<String> holder = Rows.holder(c, sessionId);
        c.close();
        c = null;
        throw new SessionException(
            PostgresSessionStore.inUseMessage(sessionId, holder)
                + "; wait for it to finish, or use another session id",
            null);
      }
      Rows.recordHolder(
          c, sessionId, "host " + hostName() + " (pid " + ProcessHandle.current().pid() + ")");
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        rowExists = PostgresSessionStore.exists(c, sessionId);
        stored = rowExists ? Rows.readMessages(c, sessionId) : List.of();
      } finally {
        c.rollback();
        c.setAutoCommit(true);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      }
      writer = c;
      c = null;
    } catch (SQLException e) {
      throw store.failure("cannot open session '" + sessionId + "'", e);
    } finally {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // Closing drops the lock as well; nothing else to undo.
        }
      }
    }
  }

  /**
   * A failed write. When the writer connection is gone, so is the lock: the session then refuses
   * every further write, since another process may have taken it over.
   */
  private SessionException writeFailure(String what, SQLException e) {
    boolean connectionGone = isConnectionFailure(e) || !isValidQuietly();
    SessionException failure = store.failure(what, e);
    if (connectionGone) {
      lost =
          "session '"
              + sessionId
              + "' lost its connection to the session store "
              + store.location()
              + " ("
              + PostgresSessionStore.rootMessage(e)
              + "); every step up to"
              + " the last completed one is saved: run the session again to resume it";
      closeWriter(false);
      return new SessionException(lost, null, e);
    }
    return failure;
  }

  private static boolean isConnectionFailure(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }

  private boolean isValidQuietly() {
    try {
      return writer != null && writer.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private void rollbackQuietly() {
    try {
      writer.rollback();
    } catch (SQLException ignored) {
      // The transaction dies with the connection anyway.
    }
  }

  private void autoCommitQuietly() {
    if (writer == null) {
      return;
    }
    try {
      writer.setAutoCommit(true);
    } catch (SQLException ignored) {
      // A broken connection: the next write finds out and reports it.
    }
  }

  private void closeWriter(boolean unlockFirst) {
    if (writer != null && unlockFirst) {
      try {
        // Closing alone releases the lock only once the server has processed the goodbye,
        // after close() returned; unlocking first lets the next writer in at once.
        Rows.unlock(writer, sessionId);
      } catch (SQLException ignored) {
        // A broken connection: the server drops the lock when it notices.
      }
    }
    if (writer != null) {
      try {
        writer.close();
      } catch (SQLException ignored) {
        // The server drops the lock when the connection ends, however it ends.
      }
      writer = null;
    }
  }

  private static int commonPrefix(List<Message> a, List<Message> b) {
    int n = Math.min(a.size(), b.size());
    int i = 0;
    while (i < n && a.get(i).equals(b.get(i))) {
      i++;
    }
    return i;
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
