package dev.codepilot.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.internal.Json;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.SessionException;
import dev.codepilot.session.SessionInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The sessions the server holds, by id. Each id has at most one {@link SessionHost}; every
 * operation on it runs under the host's lock, so that one session's requests never wait for
 * another's. A host the idle sweep removed is replaced by a fresh one on the next request.
 */
final class SessionRegistry {

  private static final System.Logger LOG = System.getLogger(SessionRegistry.class.getName());

  private final Settings settings;
  private final Clock clock;
  private final ConcurrentHashMap<String, SessionHost> hosts = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private final AutoCloseable remoteEvents;

  SessionRegistry(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    // Events of runs on other servers sharing the store reach this server's clients.
    this.remoteEvents =
        settings
            .store()
            .map(
                store ->
                    store.subscribeEvents(
                        (id, event) -> {
                          SessionHost host = hosts.get(id);
                          if (host != null) {
                            host.hub().publish(event);
                          }
                        }))
            .orElse(null);
  }

  /** Runs {@code operation} on the session's host, holding its lock. */
  <T> T withHost(String id, Function<SessionHost, T> operation) {
    while (true) {
      if (closed) {
        throw ApiException.unavailable("the server is shutting down");
      }
      SessionHost host = hosts.computeIfAbsent(id, key -> new SessionHost(key, settings, clock));
      host.lock().lock();
      try {
        if (host.isRemoved()) {
          hosts.remove(id, host);
          continue;
        }
        return operation.apply(host);
      } finally {
        host.lock().unlock();
      }
    }
  }

  /** Runs {@code operation} on the session's host, holding its lock. */
  void onHost(String id, Consumer<SessionHost> operation) {
    withHost(
        id,
        host -> {
          operation.accept(host);
          return null;
        });
  }

  /**
   * This agent's sessions: those saved in the session directory (or store) and those open here,
   * most recently updated first.
   */
  ArrayNode list() {
    List<SessionInfo> saved;
    try {
      saved =
          settings.store().isPresent()
              ? settings.store().get().list()
              : FileSession.list(settings.sessionDir()).sessions();
    } catch (SessionException e) {
      throw new ApiException(500, e.getMessage());
    }
    Map<String, SessionHost> open = new HashMap<>(hosts);
    ArrayNode list = Json.mapper().createArrayNode();
    Set<String> seen = new HashSet<>();
    for (SessionInfo info : saved) {
      if (!info.agentName().equals(settings.agent().name())) {
        continue;
      }
      seen.add(info.sessionId());
      SessionHost host = open.get(info.sessionId());
      ObjectNode node = list.addObject();
      node.put("id", info.sessionId());
      node.put("agent", info.agentName());
      node.put("created_at", info.createdAt().toString());
      node.put("updated_at", info.updatedAt().toString());
      node.put("message_count", info.messageCount());
      addLiveness(node, host);
    }
    for (SessionHost host : open.values()) {
      if (seen.contains(host.id())) {
        continue;
      }
      Boolean live = peek(host, SessionHost::isLive);
      if (Boolean.TRUE.equals(live)) {
        ObjectNode node = list.addObject();
        node.put("id", host.id());
        node.put("agent", settings.agent().name());
        node.putNull("created_at");
        node.putNull("updated_at");
        node.put("message_count", 0);
        addLiveness(node, host);
      }
    }
    return list;
  }

  /** Closes runtimes idle for longer than the idle timeout and forgets empty hosts. */
  void sweep() {
    for (SessionHost host : hosts.values()) {
      if (host.lock().tryLock()) {
        try {
          if (!host.isRemoved() && host.evictIfIdle(clock.instant())) {
            hosts.remove(host.id(), host);
          }
        } finally {
          host.lock().unlock();
        }
      }
    }
  }

  /**
   * Aborts every run, waits for the runs to end (up to {@code grace}), then closes every runtime
   * (releasing the session locks) and every WebSocket client.
   */
  void close(Duration grace) {
    closed = true;
    if (remoteEvents != null) {
      try {
        remoteEvents.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.DEBUG, "stopping the session event listener failed", e);
      }
    }
    List<Thread> runs = new ArrayList<>();
    for (SessionHost host : hosts.values()) {
      host.lock().lock();
      try {
        host.stop().ifPresent(runs::add);
      } finally {
        host.lock().unlock();
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread run : runs) {
      try {
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        if (!run.join(Duration.ofMillis(left))) {
          LOG.log(System.Logger.Level.WARNING, run.getName() + " did not stop within " + grace);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (SessionHost host : hosts.values()) {
      host.lock().lock();
      try {
        host.close();
      } finally {
        host.lock().unlock();
      }
    }
    hosts.clear();
  }

  private void addLiveness(ObjectNode node, SessionHost host) {
    boolean live = host != null && Boolean.TRUE.equals(peek(host, SessionHost::isLive));
    boolean running = host != null && Boolean.TRUE.equals(peek(host, SessionHost::isRunning));
    node.put("live", live);
    node.put("running", running);
  }

  private static <T> T peek(SessionHost host, Function<SessionHost, T> read) {
    host.lock().lock();
    try {
      return host.isRemoved() ? null : read.apply(host);
    } finally {
      host.lock().unlock();
    }
  }
}
