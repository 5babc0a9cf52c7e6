package dev.codepilot.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference section 13: the runtime in a Javalin server, events over a WebSocket. */
class WebServerTest {

  @TempDir Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  @Test
  void aTaskStartedOverHttpStreamsItsEventsAsJson() throws Exception {
    AgentRuntime runtime =
        AgentRuntime.builder(Agents.copy("web", tmp))
            .session("file")
            .sessionId("web-session")
            .sessionDir(tmp.resolve("sessions"))
            .consoleOutput(false)
            .build();
    try (WebServer server = new WebServer(runtime, 0)) {
      String base = "http://127.0.0.1:" + server.port();
      WebSocket socket =
          http.newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + server.port() + "/events"), new Collector())
              .get(10, TimeUnit.SECONDS);
      awaitClientRegistered(base);

      assertThat(post(base + "/run", "Create a FastAPI hello-world server in main.py"))
          .isEqualTo("{\"status\":\"started\"}");
      List<String> events = until("\"event\":\"finish\"");

      assertThat(events)
          .first()
          .isEqualTo(
              "{\"event\":\"start\",\"task\":\"Create a FastAPI hello-world server in main.py\"}");
      assertThat(events)
          .contains(
              "{\"event\":\"step\",\"step\":1,\"max_steps\":10}",
              "{\"event\":\"think\",\"message\":\"Writing main.py with a hello-world route\"}",
              "{\"event\":\"tool_call\",\"tool\":\"write_file\",\"args\":{\"path\":\"main.py\"}}",
              "{\"event\":\"step\",\"step\":2,\"max_steps\":10}");
      assertThat(events)
          .last()
          .asString()
          .startsWith("{\"event\":\"finish\",\"summary\":\"Created");

      assertThat(post(base + "/message", "Also add a /health route"))
          .isEqualTo("{\"status\":\"queued\"}");
      assertThat(until("user_message_queued"))
          .last()
          .isEqualTo(
              "{\"event\":\"user_message_queued\",\"message\":\"Also add a /health route\"}");
      assertThat(post(base + "/reset", "")).isEqualTo("{\"status\":\"reset\"}");
      assertThat(until("session_reset")).last().isEqualTo("{\"event\":\"session_reset\"}");
      assertThat(runtime.messages()).isEmpty();
      socket.abort();
    }
  }

  /**
   * The server registers a client in its connect handler, which may run just after the handshake
   * completes: a harmless reset, repeated until its event arrives, shows it has run.
   */
  private void awaitClientRegistered(String base) throws Exception {
    for (int i = 0; i < 50; i++) {
      post(base + "/reset", "");
      String first = received.poll(200, TimeUnit.MILLISECONDS);
      if (first != null) {
        received.clear();
        return;
      }
    }
    throw new AssertionError("the WebSocket client was never registered");
  }

  private List<String> until(String marker) throws InterruptedException {
    List<String> events = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String event = received.poll(1, TimeUnit.SECONDS);
      if (event != null) {
        events.add(event);
        if (event.contains(marker)) {
          return events;
        }
      }
    }
    throw new AssertionError("no event with " + marker + " within 60 s; got " + events);
  }

  private String post(String url, String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private final class Collector implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
