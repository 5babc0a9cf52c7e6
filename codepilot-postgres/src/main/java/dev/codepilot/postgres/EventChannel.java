package dev.codepilot.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Live session events between processes through PostgreSQL's LISTEN/NOTIFY on the channel {@code
 * codepilot_events}. One connection sends, so that one process's events arrive in the order it sent
 * them; each listener has a connection of its own that waits for notifications and reconnects when
 * it is lost. A payload is "sender\nsession\nevent"; a process ignores its own. PostgreSQL limits a
 * payload to 8000 bytes: a larger event is not sent.
 */
final class EventChannel {

  static final String CHANNEL = "codepilot_events";
  private static final int MAX_PAYLOAD_BYTES = 7900;
  private static final System.Logger LOG = System.getLogger(EventChannel.class.getName());

  private final PostgresSessionStore store;
  private final String sender = UUID.randomUUID().toString();
  private final ReentrantLock sending = new ReentrantLock();
  private Connection publisher;
  private volatile boolean closed;

  EventChannel(PostgresSessionStore store) {
    this.store = store;
  }

  boolean publish(String sessionId, String event) {
    String payload = sender + "\n" + sessionId + "\n" + event;
    if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES || closed) {
      return false;
    }
    sending.lock();
    try {
      for (int attempt = 0; attempt < 2; attempt++) {
        try {
          if (publisher == null || publisher.isClosed()) {
            publisher = store.newWriterConnection();
          }
          try (PreparedStatement s = publisher.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, CHANNEL);
            s.setString(2, payload);
            s.execute();
          }
          return true;
        } catch (SQLException e) {
          // A lost connection is opened again once; events are best effort.
          closeQuietly(publisher);
          publisher = null;
          LOG.log(System.Logger.Level.DEBUG, "could not publish a session event", e);
        }
      }
      return false;
    } finally {
      sending.unlock();
    }
  }

  AutoCloseable subscribe(BiConsumer<String, String> listener) {
    Listener running = new Listener(listener);
    Thread.ofPlatform().daemon().name("codepilot-session-events").start(running);
    return running::stop;
  }

  void close() {
    closed = true;
    sending.lock();
    try {
      closeQuietly(publisher);
      publisher = null;
    } finally {
      sending.unlock();
    }
  }

  private final class Listener implements Runnable {
    private final BiConsumer<String, String> listener;
    private volatile boolean stopped;
    private volatile Connection connection;

    Listener(BiConsumer<String, String> listener) {
      this.listener = listener;
    }

    @Override
    public void run() {
      long backoff = 100;
      while (!stopped && !closed) {
        try (Connection c = store.newWriterConnection()) {
          connection = c;
          try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
          }
          backoff = 100;
          PGConnection pg = c.unwrap(PGConnection.class);
          while (!stopped && !closed) {
            PGNotification[] notifications = pg.getNotifications(500);
            if (notifications == null) {
              continue;
            }
            for (PGNotification n : notifications) {
              deliver(n.getParameter());
            }
          }
        } catch (SQLException e) {
          if (stopped || closed) {
            return;
          }
          LOG.log(System.Logger.Level.DEBUG, "session events: reconnecting", e);
          try {
            Thread.sleep(backoff);
          } catch (InterruptedException interrupted) {
            return;
          }
          backoff = Math.min(backoff * 2, 5000);
        }
      }
    }

    private void deliver(String payload) {
      int first = payload.indexOf('\n');
      int second = first < 0 ? -1 : payload.indexOf('\n', first + 1);
      if (second < 0 || payload.substring(0, first).equals(sender)) {
        return;
      }
      try {
        listener.accept(payload.substring(first + 1, second), payload.substring(second + 1));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a session event listener failed", e);
      }
    }

    void stop() {
      stopped = true;
      closeQuietly(connection);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Gone either way.
      }
    }
  }
}
