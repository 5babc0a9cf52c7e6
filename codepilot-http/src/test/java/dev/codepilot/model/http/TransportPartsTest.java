package dev.codepilot.model.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces under {@link HttpTransport}: retry waits, the event-stream reader, error texts. */
class TransportPartsTest {

  static HttpHeaders headers(String... pairs) {
    Map<String, List<String>> map = new java.util.HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], List.of(pairs[i + 1]));
    }
    return HttpHeaders.of(map, (a, b) -> true);
  }

  @Test
  void backoffDoublesUpToItsCapWithJitterThatOnlyShortens() {
    Backoff backoff =
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(60));
    for (int i = 0; i < 50; i++) {
      assertThat(backoff.delay(0, Optional.empty()))
          .isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(backoff.delay(2, Optional.empty()))
          .isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(backoff.delay(20, Optional.empty()))
          .isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
    }
  }

  @Test
  void serverRetryAfterWinsButIsCapped() {
    Backoff backoff =
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(60));
    assertThat(backoff.delay(0, Optional.of(Duration.ofSeconds(7))))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(backoff.delay(0, Optional.of(Duration.ofHours(1))))
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void retryAfterIsReadAsSecondsMillisecondsOrHttpDate() {
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    assertThat(Backoff.retryAfter(headers("retry-after", "3"), now))
        .contains(Duration.ofSeconds(3));
    assertThat(Backoff.retryAfter(headers("retry-after", "0.5"), now))
        .contains(Duration.ofMillis(500));
    assertThat(Backoff.retryAfter(headers("retry-after-ms", "250", "retry-after", "1"), now))
        .contains(Duration.ofMillis(250));
    assertThat(Backoff.retryAfter(headers("retry-after", "Wed, 25 Nov 2026 10:00:12 GMT"), now))
        .contains(Duration.ofSeconds(12));
    assertThat(Backoff.retryAfter(headers("retry-after", "Wed, 25 Nov 2026 09:00:00 GMT"), now))
        .contains(Duration.ZERO);
    assertThat(Backoff.retryAfter(headers("retry-after", "soon"), now)).isEmpty();
    assertThat(Backoff.retryAfter(headers(), now)).isEmpty();
  }

  @Test
  void sseReaderFollowsTheEventStreamFormat() throws Exception {
    String stream =
        ": comment\r\nevent: first\r\ndata: one\r\n\r\n"
            + "data:two\ndata:  three\n\n"
            + "id: 7\nretry: 100\n\n"
            + "event: last\ndata: {\"cut\": true}";
    SseReader reader =
        new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
    List<SseReader.Event> events = new ArrayList<>();
    for (var next = reader.next(); next.isPresent(); next = reader.next()) {
      events.add(next.get());
    }

    assertThat(events)
        .containsExactly(
            new SseReader.Event("first", "one"),
            new SseReader.Event("", "two\n three"),
            new SseReader.Event("last", "{\"cut\": true}"));
  }

  @Test
  void errorMessageFindsTheProvidersWordsInCommonShapes() {
    assertThat(HttpTransport.errorMessage("{\"error\":{\"message\":\"bad key\",\"type\":\"x\"}}"))
        .isEqualTo("bad key");
    assertThat(
            HttpTransport.errorMessage(
                "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\","
                    + "\"message\":\"model: nope\"}}"))
        .isEqualTo("model: nope");
    assertThat(HttpTransport.errorMessage("{\"error\":\"model 'llama9' not found\"}"))
        .isEqualTo("model 'llama9' not found");
    assertThat(HttpTransport.errorMessage("{\"object\":\"error\",\"message\":\"vllm says no\"}"))
        .isEqualTo("vllm says no");
    assertThat(HttpTransport.errorMessage("{\"detail\":\"Not Found\"}")).isEqualTo("Not Found");
    assertThat(HttpTransport.errorMessage("<html>Bad Gateway</html>"))
        .isEqualTo("<html>Bad Gateway</html>");
    assertThat(HttpTransport.errorMessage("x".repeat(1000))).hasSize(303);
    assertThat(HttpTransport.errorMessage("  ")).isEmpty();
  }

  @Test
  void redirectIsReportedWithItsTarget() {
    var target =
        new HttpTransport.Target(
            "OpenAI",
            java.net.URI.create("http://h/v1/chat/completions"),
            "m",
            Optional.of("OPENAI_API_KEY"));
    ProviderFailure failure =
        HttpTransport.statusFailure(
            301, headers("location", "https://h/v1/chat/completions"), "", target);
    assertThat(failure.isRetryable()).isFalse();
    assertThat(failure)
        .hasMessageContaining("redirected the request (HTTP 301) to https://h/v1/chat/completions");
  }
}
