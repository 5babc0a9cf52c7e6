package dev.codepilot.model.anthropic;

import static dev.codepilot.testing.http.FakeServer.after;
import static dev.codepilot.testing.http.FakeServer.json;
import static dev.codepilot.testing.http.FakeServer.sse;
import static dev.codepilot.testing.http.FakeServer.sseThenStall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.codepilot.internal.Json;
import dev.codepilot.model.Cancellation;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelConfig;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.model.RecordingModel;
import dev.codepilot.model.ReplayModel;
import dev.codepilot.model.StopReason;
import dev.codepilot.model.StreamListener;
import dev.codepilot.model.Usage;
import dev.codepilot.model.http.Backoff;
import dev.codepilot.testing.http.FakeServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnthropicChatModelTest {

  static final Backoff FAST =
      new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5));

  FakeServer server;
  final List<String> streamed = new CopyOnWriteArrayList<>();
  final List<AnthropicChatModel> models = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeServer();
  }

  @AfterEach
  void stop() {
    models.forEach(AnthropicChatModel::close);
    server.close();
  }

  // --- wire helpers: the Messages API's event stream -----------------------------------------

  static String event(String name, String json) {
    return "event: " + name + "\ndata: " + json + "\n\n";
  }

  static String messageStart(long input, long cacheRead, long cacheWrite) {
    return event(
        "message_start",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\",\"content\":[],"
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
            + input
            + ",\"cache_creation_input_tokens\":"
            + cacheWrite
            + ",\"cache_read_input_tokens\":"
            + cacheRead
            + ",\"output_tokens\":1}}}");
  }

  static String blockStart() {
    return event(
        "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  }

  static String delta(String text) {
    return event(
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":"
            + Json.write(text)
            + "}}");
  }

  static String blockStop() {
    return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
  }

  static String messageDelta(String stopReason, long outputTokens) {
    return event(
        "message_delta",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
            + stopReason
            + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
            + outputTokens
            + "}}");
  }

  static String messageStop() {
    return event("message_stop", "{\"type\":\"message_stop\"}");
  }

  static String ping() {
    return event("ping", "{\"type\": \"ping\"}");
  }

  static String error(String type, String message) {
    return event(
        "error",
        "{\"type\":\"error\",\"error\":{\"type\":\""
            + type
            + "\",\"message\":\""
            + message
            + "\"}}");
  }

  static FakeServer.Reply okReply(String text) {
    return sse(
        messageStart(10, 0, 0),
        blockStart(),
        delta(text),
        blockStop(),
        messageDelta("end_turn", 3),
        messageStop());
  }

  AnthropicChatModel model(Duration timeout, int retries) throws ModelException {
    ModelConfig config =
        ModelConfig.builder()
            .provider("anthropic")
            .name("claude-test")
            .temperature(0.2)
            .maxTokens(321)
            .baseUrl(server.url(""))
            .requestTimeout(timeout)
            .maxRetries(retries)
            .build();
    AnthropicChatModel model =
        new AnthropicProvider(Map.of("ANTHROPIC_API_KEY", "sk-ant-test")::get, FAST)
            .createModel(config);
    models.add(model);
    return model;
  }

  AnthropicChatModel model() throws ModelException {
    return model(Duration.ofSeconds(5), 3);
  }

  ModelRequest request(Cancellation cancellation, Message... history) {
    return new ModelRequest("You are CodePilot.", List.of(history), streamed::add, cancellation);
  }

  ModelRequest request(Message... history) {
    return request(new Cancellation(), history);
  }

  // --- success ------------------------------------------------------------------------------

  @Test
  void streamsEveryTextDeltaToTheListenerAndReturnsTheJoinedText() throws Exception {
    server.then(
        sse(
            messageStart(25, 0, 0),
            blockStart(),
            ping(),
            delta("```python\n"),
            delta("print('hi')\n"),
            event(
                "content_block_delta",
                "{\"type\":\"content_block_delta\","
                    + "\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}"),
            delta("```"),
            blockStop(),
            messageDelta("end_turn", 9),
            messageStop()));

    ModelReply reply = model().complete(request(Message.user("[USER INPUT]\nsay hi")));

    assertThat(streamed).containsExactly("```python\n", "print('hi')\n", "```");
    assertThat(reply.text()).isEqualTo(String.join("", streamed));
    assertThat(reply.stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(reply.usage()).isEqualTo(new Usage(25, 9, 0, 0));
  }

  @Test
  void requestCarriesModelCachedSystemPromptSamplingAndHeaders() throws Exception {
    server.then(okReply("ok"));

    model().complete(request(Message.user("[USER INPUT]\ntask")));

    FakeServer.Received sent = server.request(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-test");
    assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.header("Authorization")).isNull();
    assertThat(sent.header("Content-Type")).isEqualTo("application/json");
    assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
    assertThat(sent.header("User-Agent")).startsWith("codepilot/");
    assertThat(sent.json())
        .isEqualTo(
            Json.mapper()
                .readTree(
                    """
        {"model": "claude-test",
         "max_tokens": 321,
         "temperature": 0.2,
         "stream": true,
         "system": [{"type": "text", "text": "You are CodePilot.", "cache_control": {"type": "ephemeral"}}],
         "messages": [
           {"role": "user", "content": [{"type": "text", "text": "[USER INPUT]\\ntask",
                                         "cache_control": {"type": "ephemeral"}}]}]}
        """));
  }

  @Test
  void multiTurnHistoryAlternatesAndOnlyItsLastMessageIsACacheBreakpoint() throws Exception {
    server.then(okReply("ok"));

    model()
        .complete(
            request(
                Message.user("[USER INPUT]\ntask"),
                Message.assistant("```python\nx = 1\n```"),
                Message.user("[EXECUTION RESULT]\nok"),
                Message.user("[USER MESSAGE]\nalso add tests"),
                Message.assistant(""),
                Message.user("[EXECUTION RESULT]\n[No executable code block in response.]")));

    var body = server.request(0).json();
    assertThat(body.get("messages"))
        .isEqualTo(
            Json.mapper()
                .readTree(
                    """
        [{"role": "user", "content": "[USER INPUT]\\ntask"},
         {"role": "assistant", "content": "```python\\nx = 1\\n```"},
         {"role": "user", "content": [{"type": "text",
           "text": "[EXECUTION RESULT]\\nok\\n\\n[USER MESSAGE]\\nalso add tests\\n\\n[EXECUTION RESULT]\\n[No executable code block in response.]",
           "cache_control": {"type": "ephemeral"}}]}]
        """));
    assertThat(body.findValues("cache_control")).hasSize(2);
  }

  @Test
  void blankSystemPromptIsLeftOut() throws Exception {
    server.then(okReply("ok"));

    model()
        .complete(
            new ModelRequest(
                " ", List.of(Message.user("hi")), StreamListener.NONE, new Cancellation()));

    assertThat(server.request(0).json().has("system")).isFalse();
  }

  @Test
  void cacheReadsAndWritesAreReportedApart() throws Exception {
    server.then(
        sse(
            messageStart(20, 1800, 300),
            blockStart(),
            delta("ok"),
            blockStop(),
            messageDelta("end_turn", 42),
            messageStop()));

    Usage usage = model().complete(request(Message.user("hi"))).usage();

    assertThat(usage).isEqualTo(new Usage(20, 42, 1800, 300));
    assertThat(usage.totalInputTokens()).isEqualTo(2120);
  }

  @Test
  void maxTokensStopIsReportedAsMaxTokensAndOtherReasonsAsOther() throws Exception {
    server
        .then(
            sse(
                messageStart(5, 0, 0),
                blockStart(),
                delta("```python\nprint("),
                blockStop(),
                messageDelta("max_tokens", 321),
                messageStop()))
        .then(
            sse(
                messageStart(5, 0, 0),
                blockStart(),
                delta("STOP"),
                blockStop(),
                messageDelta("stop_sequence", 1),
                messageStop()));
    AnthropicChatModel model = model();

    assertThat(model.complete(request(Message.user("a"))).stopReason())
        .isEqualTo(StopReason.MAX_TOKENS);
    assertThat(model.complete(request(Message.user("b"))).stopReason()).isEqualTo(StopReason.OTHER);
  }

  @Test
  void emptyReplyReturnsEmptyText() throws Exception {
    server.then(sse(messageStart(5, 0, 0), messageDelta("end_turn", 0), messageStop()));

    ModelReply reply = model().complete(request(Message.user("hi")));

    assertThat(reply.text()).isEmpty();
    assertThat(streamed).isEmpty();
  }

  @Test
  void emptyHistoryFailsClearly() {
    assertThatThrownBy(() -> model().complete(request()))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("empty history");
    assertThatThrownBy(() -> model().complete(request(Message.user("  "))))
        .hasMessageContaining("empty history");
    assertThat(server.received()).isEmpty();
  }

  @Test
  void liveRunRecordedToACassetteReplaysIdentically(@TempDir Path dir) throws Exception {
    server
        .then(okReply("```python\nwrite_file('a.py')\n```\n```\nprint(1)\n```"))
        .then(okReply("```python\ndone()\n```"));
    Path cassette = dir.resolve("run.json");
    List<String> live = new java.util.ArrayList<>();
    try (RecordingModel recording = new RecordingModel(model(), cassette)) {
      live.add(recording.complete(request(Message.user("[USER INPUT]\ntask"))).text());
      live.add(
          recording
              .complete(
                  request(
                      Message.user("[USER INPUT]\ntask"),
                      Message.assistant(live.get(0)),
                      Message.user("[EXECUTION RESULT]\nok")))
              .text());
    }

    ReplayModel replay = ReplayModel.fromCassette(cassette);
    assertThat(
            List.of(
                replay.complete(request(Message.user("x"))).text(),
                replay.complete(request(Message.user("y"))).text()))
        .isEqualTo(live);
    assertThat(live.get(1)).isEqualTo("```python\ndone()\n```");
  }

  // --- retries ------------------------------------------------------------------------------

  @Test
  void rateLimitIsRetriedAfterTheWaitTheServerAskedFor() throws Exception {
    server
        .then(
            json(
                429,
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                    + "\"message\":\"Number of request tokens has exceeded your rate limit\"}}",
                "retry-after",
                "1"))
        .then(okReply("after the wait"));

    ModelReply reply = model().complete(request(Message.user("hi")));

    assertThat(reply.text()).isEqualTo("after the wait");
    assertThat(server.received()).hasSize(2);
    long waitedMillis = (server.request(1).nanoTime() - server.request(0).nanoTime()) / 1_000_000;
    assertThat(waitedMillis).isGreaterThanOrEqualTo(950);
  }

  @Test
  void overloadedAndServerErrorsAreRetried() throws Exception {
    server
        .then(
            json(
                529,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))
        .then(
            json(
                500,
                "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"))
        .then(okReply("recovered"));

    assertThat(model().complete(request(Message.user("hi"))).text()).isEqualTo("recovered");
    assertThat(server.received()).hasSize(3);
  }

  @Test
  void retriesStopAtMaxRetriesAndSaySo() {
    for (int i = 0; i < 2; i++) {
      server.then(
          json(
              529,
              "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    }

    assertThatThrownBy(() -> model(Duration.ofSeconds(5), 1).complete(request(Message.user("hi"))))
        .hasMessageContaining("Anthropic API")
        .hasMessageContaining("HTTP 529: Overloaded")
        .hasMessageContaining("gave up after 2 attempts");
    assertThat(server.received()).hasSize(2);
  }

  @Test
  void slowResponseTimesOutAndIsRetried() throws Exception {
    server.then(after(Duration.ofSeconds(3), okReply("too late"))).then(okReply("in time"));

    long start = System.nanoTime();
    ModelReply reply = model(Duration.ofMillis(300), 2).complete(request(Message.user("hi")));

    assertThat(reply.text()).isEqualTo("in time");
    assertThat(server.received()).hasSize(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void streamThatFallsSilentBeforeAnyTextIsRetried() throws Exception {
    server
        .then(sseThenStall(Duration.ofSeconds(5), messageStart(5, 0, 0), blockStart()))
        .then(okReply("second try"));

    ModelReply reply = model(Duration.ofMillis(300), 2).complete(request(Message.user("hi")));

    assertThat(reply.text()).isEqualTo("second try");
    assertThat(streamed).containsExactly("second try");
  }

  // --- errors that are not retried ----------------------------------------------------------

  @Test
  void unauthorizedIsNotRetriedAndNamesTheKeyVariable() {
    server.then(
        json(
            401,
            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                + "\"message\":\"invalid x-api-key\"}}"));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("rejected the API key")
        .hasMessageContaining("invalid x-api-key")
        .hasMessageContaining("ANTHROPIC_API_KEY");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void notFoundNamesTheModelAndTheUrl() {
    server.then(
        json(
            404,
            "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\","
                + "\"message\":\"model: claude-test\"}}"));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("no model 'claude-test'")
        .hasMessageContaining(server.url("/v1/messages").toString())
        .hasMessageContaining("model: claude-test");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void badRequestCarriesTheProvidersMessage() {
    server.then(
        json(
            400,
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}"));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("rejected the request (HTTP 400)")
        .hasMessageContaining("prompt is too long");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void errorEventAfterTextFailsWithoutRetrying() {
    server.then(
        sse(
            messageStart(5, 0, 0),
            blockStart(),
            delta("Hel"),
            error("overloaded_error", "Overloaded")));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("reported an error in its stream (overloaded_error): Overloaded")
        .hasMessageContaining("broke off after 3 characters");
    assertThat(server.received()).hasSize(1);
    assertThat(streamed).containsExactly("Hel");
  }

  @Test
  void overloadedEventBeforeAnyTextIsRetried() throws Exception {
    server
        .then(sse(messageStart(5, 0, 0), ping(), error("overloaded_error", "Overloaded")))
        .then(okReply("fine now"));

    assertThat(model().complete(request(Message.user("hi"))).text()).isEqualTo("fine now");
    assertThat(server.received()).hasSize(2);
  }

  @Test
  void invalidRequestEventIsNotRetried() {
    server.then(sse(messageStart(5, 0, 0), error("invalid_request_error", "bad block")));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("(invalid_request_error): bad block");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void streamEndingWithoutMessageStopAfterTextIsAFailure() {
    server.then(sse(messageStart(5, 0, 0), blockStart(), delta("half")));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("stream ended before its message_stop event")
        .hasMessageContaining("broke off after 4 characters");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void streamEndingBeforeAnyTextIsRetried() throws Exception {
    server.then(sse(messageStart(5, 0, 0))).then(okReply("whole"));

    assertThat(model().complete(request(Message.user("hi"))).text()).isEqualTo("whole");
    assertThat(server.received()).hasSize(2);
  }

  @Test
  void malformedJsonIsAClearErrorAndNotRetried() {
    server.then(
        sse(messageStart(5, 0, 0), "event: content_block_delta\ndata: {\"delta\": nope}\n\n"));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("malformed JSON")
        .hasMessageContaining("nope");
    assertThat(server.received()).hasSize(1);
  }

  // --- cancellation -------------------------------------------------------------------------

  @Test
  void cancellingMidStreamAbortsPromptly() throws Exception {
    server.then(
        sseThenStall(
            Duration.ofSeconds(20), messageStart(5, 0, 0), blockStart(), delta("partial")));
    Cancellation cancellation = new Cancellation();
    CountDownLatch firstText = new CountDownLatch(1);
    ModelRequest request =
        new ModelRequest(
            "s",
            List.of(Message.user("hi")),
            text -> {
              streamed.add(text);
              firstText.countDown();
            },
            cancellation);

    assertCancelsPromptly(model(), request, cancellation, firstText);
    assertThat(streamed).containsExactly("partial");
  }

  @Test
  void cancellingWhileWaitingForTheResponseAbortsPromptly() throws Exception {
    server.then(after(Duration.ofSeconds(20), okReply("never")));
    Cancellation cancellation = new Cancellation();

    assertCancelsPromptly(
        model(Duration.ofSeconds(30), 3),
        request(cancellation, Message.user("hi")),
        cancellation,
        new CountDownLatch(0));
  }

  @Test
  void cancellingDuringTheWaitBeforeARetryAbortsPromptly() throws Exception {
    server.then(
        json(
            529,
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
            "retry-after",
            "30"));
    Cancellation cancellation = new Cancellation();

    assertCancelsPromptly(
        model(), request(cancellation, Message.user("hi")), cancellation, server.answered(1));
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void alreadyCancelledRequestSendsNothing() {
    Cancellation cancellation = new Cancellation();
    cancellation.cancel();

    ModelException e =
        catchThrowableOfType(
            ModelException.class,
            () -> model().complete(request(cancellation, Message.user("hi"))));

    assertThat(e.isCancelled()).isTrue();
    assertThat(server.received()).isEmpty();
  }

  /** Cancels 200 ms after {@code ready} opens and checks that the call ends within a second. */
  static void assertCancelsPromptly(
      AnthropicChatModel model,
      ModelRequest request,
      Cancellation cancellation,
      CountDownLatch ready)
      throws Exception {
    AtomicLong cancelledAt = new AtomicLong();
    Thread canceller =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    ready.await(10, TimeUnit.SECONDS);
                    Thread.sleep(200);
                  } catch (InterruptedException e) {
                    return;
                  }
                  cancelledAt.set(System.nanoTime());
                  cancellation.cancel();
                });

    ModelException e = catchThrowableOfType(ModelException.class, () -> model.complete(request));
    long returnedAt = System.nanoTime();
    canceller.join();

    assertThat(e).isNotNull();
    assertThat(e.isCancelled()).isTrue();
    assertThat(Duration.ofNanos(returnedAt - cancelledAt.get())).isLessThan(Duration.ofSeconds(1));
  }
}
