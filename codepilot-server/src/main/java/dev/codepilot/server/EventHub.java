package dev.codepilot.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Fans one session's messages out to its WebSocket clients, and keeps the messages of the run in
 * progress (up to a bound) so that a client joining late first gets what it missed. Publishing
 * never blocks: each client has its own bounded {@link ClientChannel}.
 *
 * <p>Streamed model text arrives in many small pieces; live clients get each piece, while the
 * replay keeps consecutive pieces as one {@code model_text} message, so that a long reply does not
 * push the run's events out of the replay.
 */
final class EventHub {

  private final String sessionId;
  private final int replayCapacity;
  private final int clientCapacity;

  /** Messages as JSON strings, and runs of model text as {@link StringBuilder}s. */
  private final ArrayDeque<Object> replay = new ArrayDeque<>();

  private final Set<ClientChannel> clients = new LinkedHashSet<>();
  private long trimmed;
  private boolean recording;
  private long connections;

  EventHub(String sessionId, int replayCapacity, int clientCapacity) {
    this.sessionId = sessionId;
    this.replayCapacity = replayCapacity;
    this.clientCapacity = clientCapacity;
  }

  /** A run starts: from now on messages are kept for late joiners. */
  synchronized void beginRun() {
    replay.clear();
    trimmed = 0;
    recording = true;
  }

  /** Sends the run's last message and forgets the run. */
  synchronized void endRun(String lastMessage) {
    publish(lastMessage);
    replay.clear();
    trimmed = 0;
    recording = false;
  }

  /** Sends a message to every client, and keeps it for late joiners while a run is going. */
  synchronized void publish(String message) {
    if (recording) {
      keep(message);
    }
    deliver(message);
  }

  /** Sends a piece of the model's reply; see the class comment for how it is kept. */
  synchronized void publishModelText(String text) {
    if (recording) {
      if (replay.peekLast() instanceof StringBuilder reply) {
        reply.append(text);
      } else {
        keep(new StringBuilder(text));
      }
    }
    deliver(Messages.modelText(text));
  }

  private void keep(Object entry) {
    if (replay.size() >= replayCapacity) {
      replay.poll();
      trimmed++;
    }
    replay.add(entry);
  }

  private void deliver(String message) {
    for (ClientChannel client : clients) {
      client.offer(message);
    }
  }

  /**
   * Adds a client. It first gets {@code greeting}, then the run in progress so far (preceded by an
   * {@code events_dropped} marker when the run's oldest messages were no longer kept), then
   * everything published after, with no gap and no repeat.
   */
  synchronized ClientChannel attach(ClientChannel.Sink sink, String greeting) {
    ClientChannel client =
        new ClientChannel(sessionId + "-" + (++connections), sink, clientCapacity);
    client.offer(greeting);
    if (trimmed > 0) {
      client.offer(Messages.eventsDropped(trimmed));
    }
    for (Object entry : replay) {
      client.offer(
          entry instanceof StringBuilder reply
              ? Messages.modelText(reply.toString())
              : (String) entry);
    }
    clients.add(client);
    client.start();
    return client;
  }

  synchronized void detach(ClientChannel client) {
    clients.remove(client);
    client.detach();
  }

  synchronized int clientCount() {
    return clients.size();
  }

  /** Closes every client's connection. */
  void closeAll(int code, String reason) {
    List<ClientChannel> all;
    synchronized (this) {
      all = new ArrayList<>(clients);
      clients.clear();
    }
    for (ClientChannel client : all) {
      client.close(code, reason);
    }
  }
}
