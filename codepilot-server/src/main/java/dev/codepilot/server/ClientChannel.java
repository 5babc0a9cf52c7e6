package dev.codepilot.server;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One WebSocket client's outbound side: a bounded queue drained by the client's own virtual thread,
 * so that whoever publishes an event (the agent's run) never waits for the network.
 *
 * <p>When the queue is full, messages are dropped and counted; from then on every message is
 * dropped until the client has caught up with the queue, and then it gets one {@code {"event":
 * "events_dropped", "count": N}} in the place of the gap. Nothing after the gap is ever delivered
 * before the marker, so the client always knows where it lost events.
 */
final class ClientChannel {

  /** Delivers one text message, blocking until it is written; closes the connection. */
  interface Sink {
    void send(String text) throws Exception;

    void close(int code, String reason);
  }

  private final Sink sink;
  private final int capacity;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private long dropped;
  private boolean closed;
  private final Thread sender;

  ClientChannel(String name, Sink sink, int capacity) {
    this.sink = sink;
    this.capacity = capacity;
    this.sender = Thread.ofVirtual().name("codepilot-ws-" + name).unstarted(this::drain);
  }

  void start() {
    sender.start();
  }

  /** Queues a message; never blocks. Returns false when it was dropped. */
  boolean offer(String message) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      if (dropped > 0 || queue.size() >= capacity) {
        dropped++;
        return false;
      }
      queue.add(message);
      ready.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Stops sending; what is still queued is discarded and the connection is closed. */
  void close(int code, String reason) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
      ready.signal();
    } finally {
      lock.unlock();
    }
    sink.close(code, reason);
  }

  /** Stops sending without closing the connection (it is already gone). */
  void detach() {
    lock.lock();
    try {
      closed = true;
      queue.clear();
      ready.signal();
    } finally {
      lock.unlock();
    }
  }

  private void drain() {
    while (true) {
      String next;
      lock.lock();
      try {
        while (!closed && queue.isEmpty() && dropped == 0) {
          ready.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
        next = queue.poll();
        if (next == null) {
          next = Messages.eventsDropped(dropped);
          dropped = 0;
        }
      } finally {
        lock.unlock();
      }
      try {
        sink.send(next);
      } catch (Exception e) {
        detach();
        sink.close(1011, "could not deliver events");
        return;
      }
    }
  }
}
