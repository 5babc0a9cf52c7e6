package dev.codepilot.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.codepilot.model.Message;
import dev.codepilot.session.SessionException;
import dev.codepilot.session.SessionInfo;
import dev.codepilot.session.SessionStore;
import dev.codepilot.session.Sessions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.Driver;

/**
 * Sessions in a PostgreSQL database, shared by every process that opens the same database.
 *
 * <pre>{@code
 * try (PostgresSessionStore store = PostgresSessionStore.open(
 *         "jdbc:postgresql://db.internal/codepilot", "codepilot", System.getenv("PGPASSWORD"));
 *     Session session = store.open("ecommerce-api", "BackendEngineer")) {
 *   List<Message> history = session.load();   // takes the session's lock
 *   session.save(updatedHistory);              // appends the new messages in one transaction
 * }
 * }</pre>
 *
 * <p><b>Schema.</b> {@link #open} creates the tables ({@code codepilot_sessions}, {@code
 * codepilot_messages}, {@code codepilot_session_holders}) in the connection's default schema, or
 * migrates them, with Flyway (history table {@code codepilot_schema_history}); several processes
 * starting at once migrate one after another, under an advisory lock of their own.
 *
 * <p><b>One writer.</b> A session's writer holds a PostgreSQL advisory lock on a connection of its
 * own and writes through that connection only, so it can write only while it holds the lock. The
 * database drops the lock when that connection ends: at once when the process dies (the operating
 * system closes its socket), and after at most about 25 seconds of silence when the machine or the
 * network is lost (the connection sets {@code tcp_keepalives_idle=10}, {@code
 * tcp_keepalives_interval=5}, {@code tcp_keepalives_count=3} and {@code tcp_user_timeout=25s}, and
 * turns {@code idle_session_timeout} off, since a writer may be quiet for minutes while the model
 * thinks). Each message's index is part of the primary key, so an insert at a place already taken
 * fails instead of interleaving two histories.
 *
 * <p>Reading ({@link #list}, {@link #metadata}, {@link #readMessages}) uses a small connection pool
 * and never locks. Live events ({@link #publishEvent}, {@link #subscribeEvents}) go through
 * LISTEN/NOTIFY on the channel {@code codepilot_events}: best effort, in order per sender, at most
 * about 7900 bytes each. Thread-safe.
 */
public final class PostgresSessionStore implements SessionStore {

  /** The URLs this store opens start with this. */
  public static final String URL_PREFIX = "jdbc:postgresql:";

  /** The advisory lock key under which one process at a time creates or migrates the tables. */
  private static final long MIGRATION_LOCK = 0x636f6465_70696c6fL;

  /** Flyway logs each migration check at INFO; the CLI prints nothing of that by default. */
  private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

  static {
    FLYWAY_LOG.setLevel(Level.WARNING);
  }

  private final String url;
  private final Properties lockProperties;
  private final String location;
  private final HikariDataSource pool;
  private final EventChannel events = new EventChannel(this);

  private PostgresSessionStore(
      String url, Properties lockProperties, String location, HikariDataSource pool) {
    this.url = url;
    this.lockProperties = lockProperties;
    this.location = location;
    this.pool = pool;
  }

  /**
   * Connects to the database at {@code url} and creates or migrates the schema.
   *
   * @param url {@code jdbc:postgresql://host[:port]/database}, optionally with {@code
   *     ?user=...&password=...}
   * @param user the user, or null for the one in the URL (or the driver's default)
   * @param password the password, or null for the one in the URL
   * @throws IllegalArgumentException when {@code url} is not a PostgreSQL JDBC URL
   * @throws SessionException when the database cannot be reached, refuses the credentials or the
   *     schema cannot be prepared; the message names the database but never the password
   */
  public static PostgresSessionStore open(String url, String user, String password) {
    Objects.requireNonNull(url, "url");
    Properties parsed = url.startsWith(URL_PREFIX) ? Driver.parseURL(url, null) : null;
    if (parsed == null) {
      throw new IllegalArgumentException(
          "not a PostgreSQL JDBC URL: '"
              + redacted(url)
              + "'; write jdbc:postgresql://host[:port]/database");
    }
    String effectiveUser = user != null ? user : parsed.getProperty("user");
    String location =
        "postgresql://"
            + parsed.getProperty("PGHOST", "localhost")
            + ":"
            + parsed.getProperty("PGPORT", "5432")
            + "/"
            + parsed.getProperty("PGDBNAME", "")
            + (effectiveUser != null ? " (user " + effectiveUser + ")" : "");

    Properties lock = new Properties();
    if (user != null) {
      lock.setProperty("user", user);
    }
    if (password != null) {
      lock.setProperty("password", password);
    }
    lock.setProperty("tcpKeepAlive", "true");
    lock.setProperty("connectTimeout", "10");
    // A write that gets no answer for this long (a network cut) fails instead of hanging.
    lock.setProperty("socketTimeout", "120");
    lock.setProperty("ApplicationName", "codepilot session writer");

    HikariConfig config = new HikariConfig();
    config.setPoolName("codepilot-sessions");
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(10_000);
    config.addDataSourceProperty("ApplicationName", "codepilot sessions");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new SessionException(
          "cannot connect to the session store "
              + location
              + ": "
              + rootMessage(e)
              + "; check the URL, the user and the password",
          null,
          e);
    }
    // Processes that start at once on a fresh database migrate one after the other: Flyway's
    // own lock covers the migrations but not the creation of its history table, where a second
    // process would find the table it did not make, empty, and refuse to baseline it.
    try (java.sql.Connection guard = pool.getConnection();
        java.sql.Statement statement = guard.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      try {
        Flyway.configure(PostgresSessionStore.class.getClassLoader())
            .dataSource(pool)
            .table("codepilot_schema_history")
            .locations("classpath:dev/codepilot/postgres/migration")
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
      } finally {
        statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    } catch (FlywayException | IllegalStateException | java.sql.SQLException e) {
      pool.close();
      throw new SessionException(
          "cannot prepare the tables of the session store " + location + ": " + rootMessage(e),
          null,
          e);
    }
    return new PostgresSessionStore(url, lock, location, pool);
  }

  @Override
  public PostgresSession open(String sessionId, String agentName) {
    return new PostgresSession(
        this, Sessions.requireValidId(sessionId), Objects.requireNonNull(agentName, "agentName"));
  }

  @Override
  public List<SessionInfo> list() {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT session_id, agent_name, created_at,"
                    + " updated_at, message_count FROM codepilot_sessions"
                    + " ORDER BY updated_at DESC, session_id")) {
      List<SessionInfo> sessions = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          sessions.add(info(r));
        }
      }
      return sessions;
    } catch (SQLException e) {
      throw failure("cannot list the sessions", e);
    }
  }

  @Override
  public Optional<SessionInfo> metadata(String sessionId) {
    Sessions.requireValidId(sessionId);
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT session_id, agent_name, created_at,"
                    + " updated_at, message_count FROM codepilot_sessions WHERE session_id = ?")) {
      s.setString(1, sessionId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(info(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("cannot read session '" + sessionId + "'", e);
    }
  }

  @Override
  public Optional<List<Message>> readMessages(String sessionId) {
    Sessions.requireValidId(sessionId);
    try (Connection c = pool.getConnection()) {
      // One snapshot for both reads, so a step saved meanwhile is seen whole or not at all.
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        if (!exists(c, sessionId)) {
          return Optional.empty();
        }
        return Optional.of(Rows.readMessages(c, sessionId));
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw failure("cannot read the messages of session '" + sessionId + "'", e);
    }
  }

  @Override
  public boolean delete(String sessionId) {
    Sessions.requireValidId(sessionId);
    try (Connection c = pool.getConnection()) {
      if (!Rows.tryLock(c, sessionId)) {
        throw new SessionException(
            inUseMessage(sessionId, Rows.holder(c, sessionId))
                + "; stop it there before deleting it",
            null);
      }
      try (PreparedStatement s =
              c.prepareStatement("DELETE FROM codepilot_sessions WHERE session_id = ?");
          PreparedStatement holder =
              c.prepareStatement("DELETE FROM codepilot_session_holders WHERE session_id = ?")) {
        holder.setString(1, sessionId);
        holder.executeUpdate();
        s.setString(1, sessionId);
        return s.executeUpdate() > 0;
      } finally {
        Rows.unlock(c, sessionId);
      }
    } catch (SQLException e) {
      throw failure("cannot delete session '" + sessionId + "'", e);
    }
  }

  @Override
  public Optional<String> holder(String sessionId) {
    Sessions.requireValidId(sessionId);
    try (Connection c = pool.getConnection()) {
      if (!Rows.isLocked(c, sessionId)) {
        return Optional.empty();
      }
      return Optional.of(Rows.holder(c, sessionId).orElse("an unknown holder"));
    } catch (SQLException e) {
      throw failure("cannot read who runs session '" + sessionId + "'", e);
    }
  }

  /** Sends the event with NOTIFY on the channel {@code codepilot_events}; see the class doc. */
  @Override
  public boolean publishEvent(String sessionId, String event) {
    return events.publish(sessionId, event);
  }

  /** Listens on the channel {@code codepilot_events} with a connection of its own. */
  @Override
  public AutoCloseable subscribeEvents(BiConsumer<String, String> listener) {
    return events.subscribe(listener);
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public void close() {
    events.close();
    pool.close();
  }

  @Override
  public String toString() {
    return "PostgresSessionStore[" + location + "]";
  }

  /** A new connection outside the pool, for one session's lock and writes. */
  Connection newWriterConnection() throws SQLException {
    Connection c = new Driver().connect(url, lockProperties);
    if (c == null) {
      throw new SQLException("the PostgreSQL driver does not accept the URL");
    }
    return c;
  }

  Connection pooledConnection() throws SQLException {
    return pool.getConnection();
  }

  static String inUseMessage(String sessionId, Optional<String> holder) {
    return "session '" + sessionId + "' is running on " + holder.orElse("another process");
  }

  SessionException failure(String what, Exception e) {
    return new SessionException(
        what + " in the session store " + location + ": " + rootMessage(e), null, e);
  }

  static boolean exists(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT 1 FROM codepilot_sessions WHERE session_id = ?")) {
      s.setString(1, sessionId);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  private static SessionInfo info(ResultSet r) throws SQLException {
    return new SessionInfo(
        r.getString(1),
        r.getString(2),
        r.getTimestamp(3).toInstant(),
        r.getTimestamp(4).toInstant(),
        r.getInt(5),
        null);
  }

  /** The innermost cause's message: the one that says what the database refused. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.toString() : message.strip();
  }

  private static String redacted(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
