package dev.codepilot.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codepilot.model.Message;
import dev.codepilot.model.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of the store: the session lock, and messages to and from rows. */
final class Rows {

  /**
   * The advisory lock key of a session: a 64-bit hash of a prefixed id, so that other users of
   * advisory locks in the same database are not hit by chance.
   */
  private static final String KEY = "hashtextextended('codepilot-session:' || ?, 0)";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Rows() {}

  static boolean tryLock(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(" + KEY + ")")) {
      s.setString(1, sessionId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  static void unlock(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(" + KEY + ")")) {
      s.setString(1, sessionId);
      s.execute();
    }
  }

  /** Whether any connection holds the session's lock now. */
  static boolean isLocked(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM pg_locks,"
                + " (SELECT "
                + KEY
                + " AS k) key WHERE locktype = 'advisory' AND granted"
                + " AND objsubid = 1 AND database = (SELECT oid FROM pg_database"
                + " WHERE datname = current_database())"
                + " AND classid::bigint = ((key.k >> 32) & 4294967295)"
                + " AND objid::bigint = (key.k & 4294967295))")) {
      s.setString(1, sessionId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  /** "host H (pid P) since T" of the holder that took the lock last. */
  static Optional<String> holder(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT holder, since FROM codepilot_session_holders WHERE session_id = ?")) {
      s.setString(1, sessionId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        return Optional.of(r.getString(1) + " since " + r.getTimestamp(2).toInstant());
      }
    }
  }

  static void recordHolder(Connection c, String sessionId, String holder) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO codepilot_session_holders"
                + " (session_id, holder, since) VALUES (?, ?, ?) ON CONFLICT (session_id)"
                + " DO UPDATE SET holder = EXCLUDED.holder, since = EXCLUDED.since")) {
      s.setString(1, sessionId);
      s.setString(2, holder);
      s.setTimestamp(3, Timestamp.from(Instant.now()));
      s.executeUpdate();
    }
  }

  static List<Message> readMessages(Connection c, String sessionId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT seq, role, content, escaped"
                + " FROM codepilot_messages WHERE session_id = ? ORDER BY seq")) {
      s.setString(1, sessionId);
      s.setFetchSize(200);
      List<Message> messages = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          int seq = r.getInt(1);
          if (seq != messages.size()) {
            throw new SQLException(
                "session '"
                    + sessionId
                    + "' has no message "
                    + messages.size()
                    + " (the next one is "
                    + seq
                    + ")");
          }
          messages.add(
              new Message(
                  Role.fromWireName(r.getString(2)), decode(r.getString(3), r.getBoolean(4))));
        }
      }
      return messages;
    }
  }

  /** Inserts {@code messages[from..]} at their indexes, in one batch. */
  static void insertMessages(Connection c, String sessionId, List<Message> messages, int from)
      throws SQLException {
    if (from >= messages.size()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO codepilot_messages"
                + " (session_id, seq, role, content, escaped) VALUES (?, ?, ?, ?, ?)")) {
      for (int i = from; i < messages.size(); i++) {
        Message message = messages.get(i);
        boolean escape = needsEscape(message.content());
        s.setString(1, sessionId);
        s.setInt(2, i);
        s.setString(3, message.role().wireName());
        s.setString(4, escape ? encode(message.content()) : message.content());
        s.setBoolean(5, escape);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /** PostgreSQL text holds neither NUL nor unpaired surrogates; those go in as JSON. */
  static boolean needsEscape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == 0) {
        return true;
      }
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return true;
      }
      if (Character.isLowSurrogate(ch)) {
        return true;
      }
    }
    return false;
  }

  private static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16).append('"');
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '"' || ch == '\\') {
        out.append('\\').append(ch);
      } else if (ch < 0x20 || Character.isSurrogate(ch)) {
        out.append(String.format("\\u%04x", (int) ch));
      } else {
        out.append(ch);
      }
    }
    return out.append('"').toString();
  }

  private static String decode(String stored, boolean escaped) throws SQLException {
    if (!escaped) {
      return stored;
    }
    try {
      return JSON.readValue(stored, String.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("a stored message is not a valid JSON string: " + e.getMessage(), e);
    }
  }
}
