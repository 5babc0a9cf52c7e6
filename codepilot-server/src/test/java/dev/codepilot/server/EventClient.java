package dev.codepilot.server;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.internal.Json;
import java.io.IOException;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client of a session's event stream, built on {@code java.net.http}. It reads eagerly,
 * unless made {@linkplain #paused() paused}: then, after the server's greeting, it takes nothing
 * off the socket until {@link #resume}, which is how a slow client looks to the server.
 */
final class EventClient implements WebSocket.Listener, AutoCloseable {

  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private volatile boolean paused;
  private volatile WebSocket socket;

  static EventClient paused() {
    EventClient client = new EventClient();
    client.paused = true;
    return client;
  }

  void bind(WebSocket webSocket) {
    this.socket = webSocket;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    this.socket = webSocket;
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        received.add(Json.mapper().readTree(partial.toString()));
      } catch (IOException e) {
        received.add(
            Json.mapper()
                .createObjectNode()
                .put("event", "unparsable")
                .put("text", partial.toString()));
      }
      partial.setLength(0);
    }
    if (!paused) {
      webSocket.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(-1);
  }

  /** Starts reading again, as fast as messages come. */
  void resume() {
    paused = false;
    socket.request(Long.MAX_VALUE);
  }

  /** Reads the server's first message, which says the client is attached, and returns it. */
  JsonNode awaitGreeting() throws InterruptedException {
    JsonNode greeting = next();
    if (!greeting.path("event").asText().equals("connected")) {
      fail("the first message was not 'connected' but " + greeting);
    }
    return greeting;
  }

  /** The next message, waiting up to 30 s. */
  JsonNode next() throws InterruptedException {
    JsonNode message = received.poll(30, TimeUnit.SECONDS);
    if (message == null) {
      fail("no WebSocket message within 30 s");
    }
    return message;
  }

  /** The next message, or null when none comes within {@code millis}. */
  JsonNode poll(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Every message up to and including the first one matching {@code last}. */
  List<JsonNode> until(Predicate<JsonNode> last) throws InterruptedException {
    List<JsonNode> messages = new ArrayList<>();
    while (true) {
      JsonNode message = next();
      messages.add(message);
      if (last.test(message)) {
        return messages;
      }
    }
  }

  /** Every message up to and including the first event of this name. */
  List<JsonNode> until(String event) throws InterruptedException {
    return until(m -> event.equals(m.path("event").asText()));
  }

  /** The status the server closed the connection with, waiting up to 10 s. */
  int closeStatus() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    WebSocket ws = socket;
    if (ws != null && !ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    if (ws != null) {
      ws.abort();
    }
  }

  /** The event names of messages, model text left out. */
  static List<String> names(List<JsonNode> messages) {
    return messages.stream()
        .map(m -> m.path("event").asText())
        .filter(name -> !name.equals("model_text"))
        .toList();
  }
}
