package dev.codepilot.server;

import static dev.codepilot.server.TestServer.block;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that join late, and clients that read slowly. */
class EventDeliveryTest {

  @TempDir Path root;

  @Test
  void aClientJoiningMidRunFirstGetsTheRunSoFarThenTheRest() throws Exception {
    try (TestServer server = TestServer.start(root);
        EventClient early = server.connect("late")) {
      ScriptedModel model = server.model("late");
      server.run("late", "Two steps");
      model.awaitRequest();
      model.reply(block("think('first step')"));
      model.awaitRequest();
      List<JsonNode> seenEarly =
          early.until(m -> m.path("event").asText().equals("step") && m.path("step").asInt() == 2);

      EventClient late = new EventClient();
      server
          .http
          .newWebSocketBuilder()
          .header("Authorization", "Bearer " + server.server.token())
          .buildAsync(server.wsUri("/api/sessions/late/events"), late)
          .thenAccept(late::bind)
          .get();
      try (late) {
        assertThat(late.awaitGreeting())
            .isEqualTo(
                RunStreamingTest.json(
                    "{\"event\":\"connected\",\"session_id\":\"late\",\"running\":true}"));
        List<JsonNode> replayed =
            late.until(m -> m.path("event").asText().equals("step") && m.path("step").asInt() == 2);
        assertThat(withoutModelText(replayed))
            .containsExactlyElementsOf(withoutModelText(seenEarly));
        assertThat(EventClient.names(replayed)).containsExactly("start", "step", "think", "step");
        assertThat(replayed)
            .filteredOn(m -> m.path("event").asText().equals("model_text"))
            .as("the streamed reply is replayed as one message")
            .hasSize(1)
            .first()
            .satisfies(m -> assertThat(m.path("text").asText()).isEqualTo(modelText(seenEarly)));

        model.reply(block("done('both steps')"));
        List<JsonNode> restLate = late.until("run_end");
        List<JsonNode> restEarly = early.until("run_end");
        assertThat(restLate).containsExactlyElementsOf(restEarly);
        assertThat(EventClient.names(restLate)).containsExactly("finish", "run_end");
      }
      try (EventClient afterwards = server.connect("late")) {
        assertThat(afterwards.poll(300)).as("a finished run is not replayed").isNull();
      }
    }
  }

  @Test
  void aLateClientIsToldWhenTheStartOfALongRunIsNoLongerKept() throws Exception {
    try (TestServer server = TestServer.start(root, b -> b.replayCapacity(4))) {
      ScriptedModel model = server.model("long");
      model.reply(block("for i in range(6):\n    think('note %d' % i)"));
      server.run("long", "Take notes");
      model.awaitRequest();
      model.awaitRequest();

      try (EventClient late = server.connect("long")) {
        JsonNode marker = late.next();
        List<JsonNode> kept = List.of(late.next(), late.next(), late.next(), late.next());

        assertThat(marker.path("event").asText()).isEqualTo("events_dropped");
        assertThat(marker.path("count").asLong()).isPositive();
        assertThat(kept)
            .last()
            .satisfies(m -> assertThat(m.path("event").asText()).isEqualTo("step"));
        assertThat(late.poll(200)).isNull();
        model.reply(block("done('noted')"));
        assertThat(EventClient.names(late.until("run_end"))).containsExactly("finish", "run_end");
      }
    }
  }

  @Test
  void aSlowClientLosesEventsWithAMarkerAndNeverHoldsTheAgentBack() throws Exception {
    try (TestServer server = TestServer.start(root, b -> b.clientQueueCapacity(16));
        EventClient fast = server.connect("flood");
        EventClient slow = server.connect("flood", EventClient.paused())) {
      server
          .model("flood")
          .reply(
              block("for i in range(300):\n    think(str(i) + ' ' + 'x' * 40000)"),
              block("done('flooded')"));

      long started = System.nanoTime();
      server.run("flood", "Flood the clients");
      JsonNode status = server.awaitIdle("flood");
      Duration runTime = Duration.ofNanos(System.nanoTime() - started);

      assertThat(status.path("last_run").path("outcome").asText()).isEqualTo("finished");
      assertThat(runTime).isLessThan(Duration.ofSeconds(30));
      Delivery toFast = Delivery.read(fast);
      slow.resume();
      Delivery toSlow = Delivery.read(slow);

      assertThat(toSlow.dropped()).isPositive();
      assertThat(toSlow.last().path("event").asText()).isEqualTo("events_dropped");
      assertThat(toSlow.delivered() + toSlow.dropped())
          .isEqualTo(toFast.delivered() + toFast.dropped());
      assertThat(toSlow.thinks()).startsWith(toFast.thinks().subList(0, 3).toArray(String[]::new));
    }
  }

  private static List<JsonNode> withoutModelText(List<JsonNode> messages) {
    return messages.stream().filter(m -> !m.path("event").asText().equals("model_text")).toList();
  }

  private static String modelText(List<JsonNode> messages) {
    StringBuilder text = new StringBuilder();
    messages.stream()
        .filter(m -> m.path("event").asText().equals("model_text"))
        .forEach(m -> text.append(m.path("text").asText()));
    return text.toString();
  }

  /** What one client got: messages delivered, and events reported dropped. */
  record Delivery(long delivered, long dropped, JsonNode last, List<String> thinks) {

    /** Reads until no message has come for a second (the run is over when this is called). */
    static Delivery read(EventClient client) throws Exception {
      long delivered = 0;
      long dropped = 0;
      JsonNode last = null;
      List<String> thinks = new ArrayList<>();
      while (true) {
        JsonNode message = client.poll(1000);
        if (message == null) {
          return new Delivery(delivered, dropped, last, thinks);
        }
        last = message;
        if (message.path("event").asText().equals("events_dropped")) {
          dropped += message.path("count").asLong();
        } else {
          delivered++;
          if (message.path("event").asText().equals("think")) {
            thinks.add(message.path("message").asText().substring(0, 4));
          }
        }
      }
    }
  }
}
