package dev.codepilot.model.openai;

import static dev.codepilot.testing.http.FakeServer.after;
import static dev.codepilot.testing.http.FakeServer.json;
import static dev.codepilot.testing.http.FakeServer.sse;
import static dev.codepilot.testing.http.FakeServer.sseThenStall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.codepilot.model.http.RequestBodyWriter;
import dev.codepilot.testing.http.FakeServer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenAiChatModelTest {

  static final Backoff FAST =
      new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5));
  static final String DONE = "data: [DONE]\n\n";

  FakeServer server;
  final List<String> streamed = new CopyOnWriteArrayList<>();
  final List<OpenAiChatModel> models = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeServer();
  }

  @AfterEach
  void stop() {
    models.forEach(OpenAiChatModel::close);
    server.close();
  }

  // --- wire helpers -------------------------------------------------------------------------

  static String chunk(String content) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
        + Json.write(content)
        + "},\"finish_reason\":null}]}\n\n";
  }

  static String roleChunk() {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
        + "\"content\":\"\"},\"finish_reason\":null}]}\n\n";
  }

  static String finish(String reason) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\""
        + reason
        + "\"}]}\n\n";
  }

  static String usage(long prompt, long completion, long cached) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"gpt-test\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":"
        + cached
        + "}}}\n\n";
  }

  static FakeServer.Reply okReply(String text) {
    return sse(roleChunk(), chunk(text), finish("stop"), usage(10, 2, 0), DONE);
  }

  OpenAiChatModel model(Duration timeout, int retries) throws ModelException {
    ModelConfig config =
        ModelConfig.builder()
            .provider("openai")
            .name("gpt-test")
            .temperature(0.2)
            .maxTokens(321)
            .baseUrl(server.url("/v1"))
            .requestTimeout(timeout)
            .maxRetries(retries)
            .build();
    OpenAiChatModel model =
        new OpenAiProvider(Map.of("OPENAI_API_KEY", "sk-test")::get, FAST).createModel(config);
    models.add(model);
    return model;
  }

  OpenAiChatModel model() throws ModelException {
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
  void streamsEveryDeltaToTheListenerAndReturnsTheJoinedText() throws Exception {
    server.then(
        sse(
            roleChunk(),
            chunk("```python\n"),
            chunk("print('hi')\n"),
            chunk("```"),
            finish("stop"),
            usage(50, 7, 0),
            DONE));

    ModelReply reply = model().complete(request(Message.user("[USER INPUT]\nsay hi")));

    assertThat(streamed).containsExactly("```python\n", "print('hi')\n", "```");
    assertThat(reply.text()).isEqualTo(String.join("", streamed));
    assertThat(reply.stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(reply.usage()).isEqualTo(new Usage(50, 7, 0, 0));
  }

  @Test
  void requestCarriesModelSystemPromptHistorySamplingAndStreamFlags() throws Exception {
    server.then(okReply("ok"));

    model()
        .complete(
            request(
                Message.user("[USER INPUT]\ntask"),
                Message.assistant("```python\nx = 1\n```"),
                Message.user("[EXECUTION RESULT]\n[Control block executed with no output.]")));

    FakeServer.Received sent = server.request(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-test");
    assertThat(sent.header("Content-Type")).isEqualTo("application/json");
    assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
    assertThat(sent.header("User-Agent")).startsWith("codepilot/");
    assertThat(sent.json())
        .isEqualTo(
            Json.mapper()
                .readTree(
                    """
        {"model": "gpt-test",
         "messages": [
           {"role": "system", "content": "You are CodePilot."},
           {"role": "user", "content": "[USER INPUT]\\ntask"},
           {"role": "assistant", "content": "```python\\nx = 1\\n```"},
           {"role": "user", "content": "[EXECUTION RESULT]\\n[Control block executed with no output.]"}],
         "temperature": 0.2,
         "max_tokens": 321,
         "stream": true,
         "stream_options": {"include_usage": true}}
        """));
  }

  @Test
  void consecutiveMessagesOfOneRoleAreMergedAndAnEmptySystemPromptIsLeftOut() throws Exception {
    server.then(okReply("ok"));
    ModelRequest request =
        new ModelRequest(
            "",
            List.of(
                Message.user("a"), Message.user("b"), Message.assistant("c"), Message.user("d")),
            StreamListener.NONE,
            new Cancellation());

    model().complete(request);

    assertThat(server.request(0).json().get("messages"))
        .isEqualTo(
            Json.mapper()
                .readTree(
                    """
        [{"role": "user", "content": "a\\n\\nb"},
         {"role": "assistant", "content": "c"},
         {"role": "user", "content": "d"}]
        """));
  }

  @Test
  void openAisOwnApiGetsMaxCompletionTokens() throws Exception {
    OpenAiChatModel.Settings official =
        new OpenAiChatModel.Settings(
            "OpenAI",
            URI.create("https://api.openai.com/v1"),
            "gpt-5",
            Optional.of("k"),
            "OPENAI_API_KEY",
            1.0,
            999);

    JsonNode body =
        Json.mapper()
            .readTree(
                OpenAiChatModel.requestBody(
                    request(Message.user("hi")), official, new RequestBodyWriter()));

    assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(999);
    assertThat(body.has("max_tokens")).isFalse();
  }

  @Test
  void emptyReplyReturnsEmptyTextWithoutCallingTheListener() throws Exception {
    server.then(sse(roleChunk(), finish("stop"), DONE));

    ModelReply reply = model().complete(request(Message.user("hi")));

    assertThat(reply.text()).isEmpty();
    assertThat(reply.stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(streamed).isEmpty();
  }

  @Test
  void cachedPromptTokensAreCountedApartFromInputTokens() throws Exception {
    server.then(sse(chunk("ok"), finish("stop"), usage(1200, 30, 1024), DONE));

    Usage usage = model().complete(request(Message.user("hi"))).usage();

    assertThat(usage).isEqualTo(new Usage(176, 30, 1024, 0));
    assertThat(usage.totalInputTokens()).isEqualTo(1200);
  }

  @Test
  void lengthFinishIsReportedAsMaxTokensAndOtherReasonsAsOther() throws Exception {
    server
        .then(sse(chunk("```python\nprint("), finish("length"), DONE))
        .then(sse(chunk("no"), finish("content_filter"), DONE));
    OpenAiChatModel model = model();

    assertThat(model.complete(request(Message.user("a"))).stopReason())
        .isEqualTo(StopReason.MAX_TOKENS);
    assertThat(model.complete(request(Message.user("b"))).stopReason()).isEqualTo(StopReason.OTHER);
  }

  @Test
  void keepAliveCommentsAndMultiLineDataAreUnderstood() throws Exception {
    server.then(
        sse(
            ": keep-alive\n\n",
            "data: {\"choices\":[{\"index\":0,\n"
                + "data: \"delta\":{\"content\":\"joined\"},\"finish_reason\":null}]}\n\n",
            finish("stop"),
            DONE));

    assertThat(model().complete(request(Message.user("hi"))).text()).isEqualTo("joined");
  }

  @Test
  void emptyHistoryFailsClearly() {
    assertThatThrownBy(() -> model().complete(request()))
        .isInstanceOf(ModelException.class)
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
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}",
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
  void serverErrorIsRetriedWithBackoff() throws Exception {
    server
        .then(json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"))
        .then(json(503, "upstream unavailable"))
        .then(okReply("recovered"));

    assertThat(model().complete(request(Message.user("hi"))).text()).isEqualTo("recovered");
    assertThat(server.received()).hasSize(3);
  }

  @Test
  void retriesStopAtMaxRetriesAndSaySo() {
    for (int i = 0; i < 3; i++) {
      server.then(json(502, "{\"error\":{\"message\":\"bad gateway\"}}"));
    }

    assertThatThrownBy(() -> model(Duration.ofSeconds(5), 2).complete(request(Message.user("hi"))))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("HTTP 502")
        .hasMessageContaining("bad gateway")
        .hasMessageContaining("gave up after 3 attempts");
    assertThat(server.received()).hasSize(3);
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
    server.then(sseThenStall(Duration.ofSeconds(5), roleChunk())).then(okReply("second try"));

    ModelReply reply = model(Duration.ofMillis(300), 2).complete(request(Message.user("hi")));

    assertThat(reply.text()).isEqualTo("second try");
    assertThat(streamed).containsExactly("second try");
  }

  @Test
  void refusedConnectionIsRetriedThenReported() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ModelConfig config =
        ModelConfig.builder()
            .provider("openai")
            .name("gpt-test")
            .maxTokens(10)
            .baseUrl(URI.create("http://127.0.0.1:" + port + "/v1"))
            .requestTimeout(Duration.ofSeconds(2))
            .maxRetries(1)
            .build();
    OpenAiChatModel model = new OpenAiProvider(k -> null, FAST).createModel(config);
    models.add(model);

    assertThatThrownBy(() -> model.complete(request(Message.user("hi"))))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("could not connect to the OpenAI-compatible server")
        .hasMessageContaining("gave up after 2 attempts");
  }

  // --- errors that are not retried ----------------------------------------------------------

  @Test
  void unauthorizedIsNotRetriedAndNamesTheKeyVariable() {
    server.then(
        json(
            401,
            "{\"error\":{\"message\":\"Incorrect API key provided: sk-test.\","
                + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("rejected the API key")
        .hasMessageContaining("Incorrect API key provided")
        .hasMessageContaining("OPENAI_API_KEY");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void forbiddenNamesTheKeyVariableAndModel() {
    server.then(json(403, "{\"error\":{\"message\":\"Project does not have access\"}}"));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("OPENAI_API_KEY")
        .hasMessageContaining("'gpt-test'");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void notFoundNamesTheModelAndTheUrl() {
    server.then(json(404, "{\"error\":{\"message\":\"The model `gpt-test` does not exist\"}}"));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("no model 'gpt-test'")
        .hasMessageContaining(server.url("/v1/chat/completions").toString())
        .hasMessageContaining("model.base_url");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void badRequestCarriesTheProvidersMessage() {
    server.then(
        json(
            400,
            "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\","
                + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}"));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("rejected the request (HTTP 400)")
        .hasMessageContaining("maximum context length is 8192 tokens");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void errorEventAfterTextFailsWithoutRetryingOrRepeatingText() {
    server.then(
        sse(
            chunk("Hel"),
            "data: {\"error\":{\"message\":\"The server had an error\","
                + "\"type\":\"server_error\"}}\n\n"));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("reported an error in its stream (server_error)")
        .hasMessageContaining("The server had an error")
        .hasMessageContaining("broke off after 3 characters");
    assertThat(server.received()).hasSize(1);
    assertThat(streamed).containsExactly("Hel");
  }

  @Test
  void retryableErrorEventBeforeAnyTextIsRetried() throws Exception {
    server
        .then(
            sse(
                roleChunk(),
                "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"))
        .then(okReply("fine now"));

    assertThat(model().complete(request(Message.user("hi"))).text()).isEqualTo("fine now");
  }

  @Test
  void streamEndingWithoutDoneAfterTextIsAFailure() {
    server.then(sse(roleChunk(), chunk("half a rep")));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .hasMessageContaining("stream ended before its final [DONE] event")
        .hasMessageContaining("broke off after 10 characters");
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void streamEndingBeforeAnyTextIsRetried() throws Exception {
    server.then(sse(roleChunk())).then(okReply("whole"));

    assertThat(model().complete(request(Message.user("hi"))).text()).isEqualTo("whole");
    assertThat(server.received()).hasSize(2);
  }

  @Test
  void malformedJsonIsAClearErrorAndNotRetried() {
    server.then(sse("data: {\"choices\": [oops\n\n"));

    assertThatThrownBy(() -> model().complete(request(Message.user("hi"))))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("malformed JSON")
        .hasMessageContaining("[oops");
    assertThat(server.received()).hasSize(1);
  }

  // --- cancellation -------------------------------------------------------------------------

  @Test
  void cancellingMidStreamAbortsPromptly() throws Exception {
    server.then(sseThenStall(Duration.ofSeconds(20), roleChunk(), chunk("partial")));
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
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void cancellingDuringTheWaitBeforeARetryAbortsPromptly() throws Exception {
    server.then(json(429, "{\"error\":{\"message\":\"slow down\"}}", "retry-after", "30"));
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
      OpenAiChatModel model, ModelRequest request, Cancellation cancellation, CountDownLatch ready)
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
