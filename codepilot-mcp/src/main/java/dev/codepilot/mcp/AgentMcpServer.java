package dev.codepilot.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Serves an agent as an MCP server over stdio, with one tool, {@code run_task}: its {@code task} is
 * run to the end and the agent's summary returned ({@code isError} when the run did not finish).
 * Each step is reported as a progress notification when the client asked for progress, and a {@code
 * notifications/cancelled} for the running call aborts the run. Calls run one at a time, in one
 * history, as in {@code codepilot chat}.
 *
 * <pre>{@code
 * try (AgentRuntime runtime = AgentRuntime.builder(agentFile).consoleOutput(false).build();
 *     AgentMcpServer server = new AgentMcpServer(runtime, System.in, System.out)) {
 *   server.awaitClose();
 * }
 * }</pre>
 */
public final class AgentMcpServer implements AutoCloseable {

  /** The name of the one tool. */
  public static final String TOOL = "run_task";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AgentRuntime runtime;
  private final McpSyncServer server;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Object runLock = new Object();

  /** The JSON-RPC id of the run_task call in progress, so that its cancellation aborts it. */
  private volatile JsonNode runningId;

  private volatile Consumer<Event.Step> progress = step -> {};

  /**
   * Starts serving {@code runtime} on {@code in} and {@code out}; returns at once.
   *
   * @param runtime the agent; this server does not close it
   * @param in where requests arrive (standard input)
   * @param out where answers go (standard output): nothing else may write there
   */
  public AgentMcpServer(AgentRuntime runtime, InputStream in, OutputStream out) throws IOException {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    runtime.hooks().observe(EventType.STEP, event -> progress.accept((Event.Step) event));
    PipedInputStream requests = new PipedInputStream(1 << 16);
    PipedOutputStream pipe = new PipedOutputStream(requests);
    Thread.ofPlatform().daemon().name("codepilot-mcp-stdin").start(() -> watch(in, pipe));
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(McpJsonDefaults.getMapper(), requests, out);
    McpSchema.Tool tool =
        McpSchema.Tool.builder()
            .name(TOOL)
            .title("Run a task with " + runtime.config().name())
            .description(
                "Hands a task to the CodePilot agent "
                    + runtime.config().name()
                    + (runtime.config().role().isBlank()
                        ? ""
                        : ", " + runtime.config().role().strip())
                    + ". The agent works in its own workspace until it is done and returns its summary."
                    + " Tasks share one conversation, so a later task can build on an earlier one.")
            .inputSchema(
                Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of(
                        "task",
                        Map.of(
                            "type",
                            "string",
                            "description",
                            "What the agent should do, in plain words")),
                    "required",
                    List.of("task")))
            .build();
    this.server =
        io.modelcontextprotocol.server.McpServer.sync(transport)
            .serverInfo(
                new McpSchema.Implementation(
                    "codepilot-" + runtime.config().name(), runtime.config().name(), version()))
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .requestTimeout(java.time.Duration.ofDays(1))
            .tools(new McpServerFeatures.SyncToolSpecification(tool, this::runTask))
            .build();
  }

  /** Blocks until the client closes the connection (end of standard input). */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  private McpSchema.CallToolResult runTask(
      McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
    Object task = request.arguments() == null ? null : request.arguments().get("task");
    if (!(task instanceof String text) || text.isBlank()) {
      return error("run_task needs a task: {\"task\": \"what the agent should do\"}");
    }
    synchronized (runLock) {
      Object token = request.meta() == null ? null : request.meta().get("progressToken");
      progress =
          token == null
              ? step -> {}
              : step ->
                  exchange.progressNotification(
                      new McpSchema.ProgressNotification(
                          token,
                          (double) step.step(),
                          (double) step.maxSteps(),
                          "step " + step.step() + " of " + step.maxSteps()));
      try {
        RunResult result = runtime.run(text);
        if (result.finished()) {
          return McpSchema.CallToolResult.builder()
              .addTextContent(result.summary().orElse(""))
              .isError(false)
              .build();
        }
        return error(
            switch (result.outcome()) {
              case MAX_STEPS ->
                  "the agent stopped after " + result.steps() + " steps without finishing";
              case ABORTED -> "the run was cancelled";
              case FAILED -> "the run failed: " + result.error().orElse("unknown error");
              case FINISHED -> "";
            });
      } catch (RuntimeException e) {
        return error("the run could not start: " + e.getMessage());
      } finally {
        progress = step -> {};
        runningId = null;
      }
    }
  }

  private static McpSchema.CallToolResult error(String text) {
    return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
  }

  /**
   * Copies the requests to the transport, line by line, noting which call is running a task and
   * aborting the run when the client cancels that call (the SDK ignores cancellations).
   */
  private void watch(InputStream in, PipedOutputStream pipe) {
    try (BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        pipe) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        inspect(line);
        pipe.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        pipe.flush();
      }
    } catch (IOException e) {
      // The client went away or the transport closed; either way the session is over.
    } finally {
      runtime.abort();
      closed.countDown();
    }
  }

  private void inspect(String line) {
    JsonNode message;
    try {
      message = JSON.readTree(line);
    } catch (IOException e) {
      return; // The transport answers malformed input itself.
    }
    if (message == null || !message.isObject()) {
      return;
    }
    String method = message.path("method").asText("");
    if (method.equals("tools/call")
        && message.path("params").path("name").asText("").equals(TOOL)) {
      runningId = message.get("id");
    } else if (method.equals("notifications/cancelled")) {
      JsonNode id = message.path("params").get("requestId");
      if (id != null && id.equals(runningId)) {
        runtime.abort();
      }
    }
  }

  @Override
  public void close() {
    server.closeGracefully();
  }

  private static String version() {
    String version = AgentMcpServer.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
