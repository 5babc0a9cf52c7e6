package dev.codepilot.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.internal.Json;
import dev.codepilot.model.ModelConfig;
import dev.codepilot.tools.PyType;
import dev.codepilot.tools.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real {@link AgentServer} on a loopback port for tests, with a scripted model per session, and
 * HTTP and WebSocket clients that speak to it as any client would.
 *
 * <p>The agent has two tools besides think and done: {@code publish(name)}, which needs the user's
 * permission, and {@code ask_user(question)}; its {@code run_command} needs permission too.
 */
final class TestServer implements AutoCloseable {

  static final String AGENT_NAME = "Server Test Agent";

  record Response(int status, JsonNode body, HttpHeaders headers) {}

  final Path root;
  final Path sessionDir;
  final Path workDir;
  final AgentServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final Map<String, ScriptedModel> models;
  final List<String> published = new CopyOnWriteArrayList<>();

  private TestServer(
      Path root, Map<String, ScriptedModel> models, Consumer<AgentServer.Builder> options)
      throws Exception {
    this(root, models, TestServer::agent, options);
  }

  private TestServer(
      Path root,
      Map<String, ScriptedModel> models,
      java.util.function.Function<Path, AgentConfig> agent,
      Consumer<AgentServer.Builder> options)
      throws Exception {
    this.root = root;
    this.sessionDir = root.resolve("sessions");
    this.workDir = Files.createDirectories(root.resolve("work"));
    this.models = models;
    AgentServer.Builder builder =
        AgentServer.builder(agent.apply(workDir))
            .port(0)
            .sessionDir(sessionDir)
            .models(id -> models.computeIfAbsent(id, key -> new ScriptedModel()))
            .configureRuntime(
                runtime -> {
                  runtime.registerTool(
                      Tools.builder("publish")
                          .description("Publishes the named package.")
                          .param("name", PyType.STR)
                          .handler(
                              call -> {
                                published.add(call.string("name"));
                                return "published " + call.string("name");
                              })
                          .build(),
                      true);
                  runtime.registerTool(
                      Tools.builder("ask_user")
                          .description("Asks the user a question and returns the answer.")
                          .param("question", PyType.STR)
                          .handler(call -> call.context().askUser(call.string("question")))
                          .build(),
                      true);
                });
    options.accept(builder);
    this.server = builder.build().start();
  }

  static TestServer start(Path root) throws Exception {
    return start(root, b -> {});
  }

  static TestServer start(Path root, Consumer<AgentServer.Builder> options) throws Exception {
    return new TestServer(root, new ConcurrentHashMap<>(), options);
  }

  /** A server of another agent: {@code agent} gets the work folder and returns the config. */
  static TestServer startAgent(Path root, java.util.function.Function<Path, AgentConfig> agent)
      throws Exception {
    return new TestServer(root, new ConcurrentHashMap<>(), agent, b -> {});
  }

  /** A new server on the same directories and models, as after a restart. */
  TestServer restart(Consumer<AgentServer.Builder> options) throws Exception {
    server.close();
    models.clear();
    return new TestServer(root, models, options);
  }

  static AgentConfig agent(Path workDir) {
    RuntimeConfig runtime =
        new RuntimeConfig(
            workDir,
            20,
            false,
            RuntimeConfig.DEFAULT_ALLOWED_IMPORTS,
            Duration.ofSeconds(20),
            200_000);
    return AgentConfig.builder()
        .name(AGENT_NAME)
        .role("a careful tester.")
        .systemPrompt("Be brief.")
        .model(ModelConfig.replay(workDir.resolve("unused.json")))
        .runtime(runtime)
        .tool(new ToolConfig("publish", true, Map.of("require_permission", true)))
        .tool(new ToolConfig("run_command", true, Map.of("require_permission", true)))
        .build();
  }

  /** A reply whose control block is {@code code}. */
  static String block(String code) {
    return "Working on it.\n```python\n" + code + "\n```\n";
  }

  ScriptedModel model(String sessionId) {
    return models.computeIfAbsent(sessionId, key -> new ScriptedModel());
  }

  URI uri(String path) {
    return server.url().resolve(path);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + server.token());
  }

  Response get(String path) throws Exception {
    return send(request(path).GET());
  }

  Response delete(String path) throws Exception {
    return send(request(path).DELETE());
  }

  Response post(String path, Object body) throws Exception {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
  }

  Response post(String path) throws Exception {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String text = response.body();
    JsonNode body =
        text == null || text.isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(text);
    return new Response(response.statusCode(), body, response.headers());
  }

  /** Starts a run and checks it was accepted. */
  void run(String sessionId, String task) throws Exception {
    Response response = post("/api/sessions/" + sessionId + "/runs", Map.of("task", task));
    if (response.status() != 202) {
      throw new AssertionError("run not started: " + response);
    }
  }

  /** Opens the session's event stream with the bearer token. */
  EventClient connect(String sessionId) throws Exception {
    return connect(sessionId, new EventClient());
  }

  /** Opens the session's event stream, and returns once the server has attached the client. */
  EventClient connect(String sessionId, EventClient client) throws Exception {
    WebSocket socket =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + server.token())
            .buildAsync(wsUri("/api/sessions/" + sessionId + "/events"), client)
            .get(10, TimeUnit.SECONDS);
    client.bind(socket);
    JsonNode greeting = client.awaitGreeting();
    if (!greeting.path("session_id").asText().equals(sessionId)) {
      throw new AssertionError("greeted for another session: " + greeting);
    }
    return client;
  }

  URI wsUri(String path) {
    return URI.create("ws://127.0.0.1:" + server.port() + path);
  }

  /** Waits until the session has no run in progress. */
  JsonNode awaitIdle(String sessionId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Response status = get("/api/sessions/" + sessionId);
      if (status.status() == 200 && !status.body().path("running").asBoolean()) {
        return status.body();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("session " + sessionId + " still running after 30 s");
  }

  /** Waits until the session has a pending input, and returns it. */
  JsonNode awaitPending(String sessionId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      JsonNode pending = get("/api/sessions/" + sessionId).body().path("pending");
      if (pending.isObject()) {
        return pending;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("nothing pending in session " + sessionId + " after 30 s");
  }

  @Override
  public void close() {
    server.close();
  }
}
