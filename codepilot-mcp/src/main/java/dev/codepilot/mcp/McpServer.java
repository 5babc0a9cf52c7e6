package dev.codepilot.mcp;

import dev.codepilot.config.McpServerConfig;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.tools.CommandJail;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolException;
import dev.codepilot.tools.ToolSourceException;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One MCP server: started (or connected) once, listed, called, restarted once if it dies, and
 * stopped with the runtime. Calls are made one at a time per server.
 */
final class McpServer {

  /** The longest line a stdio server may send; a larger result is refused by the checks after. */
  static final int MAX_MESSAGE_BYTES = 64 << 20;

  /** The most characters a result may hold before it is refused with a clear error. */
  static final int MAX_RESULT_CHARS = 4 << 20;

  /** Runs the blocking SDK calls, so that the caller can watch the server meanwhile. */
  private static final java.util.concurrent.ExecutorService CALLS =
      java.util.concurrent.Executors.newCachedThreadPool(
          Thread.ofPlatform().daemon().name("codepilot-mcp-call-", 0).factory());

  private final McpServerConfig config;
  private final RuntimeConfig runtime;

  /** Volatile so that {@link #close()} can stop a server while a call waits on it. */
  private volatile McpSyncClient client;

  private volatile Process process;
  private final List<String> stderrTail = new ArrayList<>();
  private boolean broken;

  /** Whether the last call timed out, so that the connection is checked before the next. */
  private boolean suspect;

  private boolean restarted;
  private volatile boolean closed;

  McpServer(McpServerConfig config, RuntimeConfig runtime) {
    this.config = config;
    this.runtime = runtime;
  }

  String name() {
    return config.name();
  }

  McpServerConfig config() {
    return config;
  }

  /** Starts the server, lists its tools and returns them as tool definitions. */
  synchronized List<ToolDefinition> start() {
    List<McpSchema.Tool> listed;
    try {
      connect();
      listed = listTools();
    } catch (ToolSourceException e) {
      stopClient();
      throw e;
    } catch (RuntimeException e) {
      stopClient();
      throw new ToolSourceException(failure("could not be started", e), e);
    }
    Map<String, McpSchema.Tool> byName = new java.util.LinkedHashMap<>();
    listed.forEach(tool -> byName.put(tool.name(), tool));
    List<String> wanted = config.tools().isEmpty() ? List.copyOf(byName.keySet()) : config.tools();
    List<String> unknown = wanted.stream().filter(n -> !byName.containsKey(n)).toList();
    if (!unknown.isEmpty()) {
      stopClient();
      throw new ToolSourceException(
          "MCP server '"
              + config.name()
              + "' (line "
              + config.line()
              + ") has no tool "
              + unknown.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))
              + " named in its tools: list; it offers "
              + String.join(", ", byName.keySet()));
    }
    List<ToolDefinition> tools = new ArrayList<>();
    Set<String> pythonNames = new LinkedHashSet<>();
    for (String name : wanted) {
      McpTool tool = new McpTool(this, byName.get(name));
      if (!pythonNames.add(tool.name())) {
        continue; // two server names mapping to one Python name: the first one wins.
      }
      tools.add(tool);
    }
    return tools;
  }

  private List<McpSchema.Tool> listTools() {
    List<McpSchema.Tool> tools = new ArrayList<>();
    String cursor = null;
    do {
      McpSchema.ListToolsResult page =
          cursor == null ? client.listTools() : client.listTools(cursor);
      tools.addAll(page.tools());
      cursor = page.nextCursor();
    } while (cursor != null && !cursor.isEmpty());
    return tools;
  }

  private void connect() {
    McpClientTransport transport =
        config.command().isPresent() ? stdioTransport() : httpTransport(config.url().orElseThrow());
    client =
        McpClient.sync(transport)
            .requestTimeout(config.timeout())
            .initializationTimeout(config.timeout())
            .clientInfo(new McpSchema.Implementation("codepilot", "CodePilot", version()))
            .build();
    McpSyncClient starting = client;
    java.util.concurrent.CompletableFuture<?> initialized =
        java.util.concurrent.CompletableFuture.runAsync(starting::initialize, CALLS);
    try {
      while (true) {
        try {
          initialized.get(100, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          if (process == null && transport instanceof StdioClientTransport stdio) {
            process = processOf(stdio);
          }
          if (dead()) {
            // Started but gone before answering: say so now rather than after the timeout.
            initialized.cancel(true);
            throw new IllegalStateException(
                "the program exited with code " + process.exitValue() + " before it answered");
          }
        }
      }
    } catch (InterruptedException e) {
      initialized.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    if (process == null && transport instanceof StdioClientTransport stdio) {
      process = processOf(stdio);
    }
    if (closed) {
      // The runtime closed while this server was starting: leave nothing behind.
      stopClient();
      throw new IllegalStateException("the runtime was closed while the server started");
    }
  }

  private McpClientTransport stdioTransport() {
    Path workDir = runtime.workDir();
    Path dir = config.cwd().orElse(workDir);
    List<String> argv = new ArrayList<>();
    argv.add(config.command().orElseThrow());
    argv.addAll(config.args());
    CommandJail.Launch launch;
    try {
      launch = CommandJail.launch(argv, dir, workDir, runtime.shell(), config.env());
    } catch (IOException e) {
      throw new ToolSourceException(
          "MCP server '" + config.name() + "' cannot be started: " + e.getMessage(), e);
    }
    List<String> line = new ArrayList<>();
    if (!launch.confined()) {
      // The SDK adds some of the JVM's own variables to the environment; env -i starts the
      // server with exactly the allow-listed ones.
      line.addAll(List.of("/usr/bin/env", "-i"));
      launch.environment().forEach((k, v) -> line.add(k + "=" + v));
    }
    line.addAll(launch.command());
    ServerParameters params =
        ServerParameters.builder(line.get(0)).args(line.subList(1, line.size())).build();
    StdioClientTransport transport =
        new StdioClientTransport(params, McpJsonDefaults.getMapper(), MAX_MESSAGE_BYTES) {
          @Override
          protected ProcessBuilder getProcessBuilder() {
            ProcessBuilder builder = new ProcessBuilder();
            builder.environment().clear();
            return builder.directory(dir.toFile());
          }
        };
    transport.setStdErrorHandler(this::keepStderr);
    return transport;
  }

  private McpClientTransport httpTransport(URI url) {
    String base = url.getScheme() + "://" + url.getRawAuthority();
    String endpoint =
        url.getRawPath() == null || url.getRawPath().isEmpty()
            ? "/"
            : url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder();
    config.headers().forEach(request::header);
    return HttpClientStreamableHttpTransport.builder(base)
        .endpoint(endpoint)
        .connectTimeout(config.timeout())
        .requestBuilder(request)
        .build();
  }

  private void keepStderr(String line) {
    synchronized (stderrTail) {
      stderrTail.add(line);
      if (stderrTail.size() > 20) {
        stderrTail.remove(0);
      }
    }
  }

  /**
   * Calls a tool. A server that died since the last call is started again, once per runtime; the
   * restart is noted in {@code restarts}, as what had happened to the server ("stopped (exit code
   * 1)", "stopped answering").
   */
  synchronized McpSchema.CallToolResult call(
      String tool, Map<String, Object> args, List<String> restarts) throws ToolException {
    if (closed) {
      throw ToolException.runtimeError("MCP server '" + config.name() + "' is stopped");
    }
    ensureRunning(restarts);
    McpSyncClient current = client;
    java.util.concurrent.CompletableFuture<McpSchema.CallToolResult> answer =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> current.callTool(new McpSchema.CallToolRequest(tool, args)), CALLS);
    try {
      // Waits in short rounds so that a server that dies mid-call is reported at once rather
      // than after the timeout (the SDK only notices the missing answer).
      while (true) {
        try {
          return answer.get(100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (dead()) {
            answer.cancel(true);
            broken = true;
            throw ToolException.runtimeError(
                "MCP server '"
                    + config.name()
                    + "' stopped during"
                    + " the call to "
                    + tool
                    + " (exit code "
                    + process.exitValue()
                    + ")"
                    + lastErrors());
          }
        }
      }
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw ToolException.runtimeError(
          "the call to " + tool + " of MCP server '" + config.name() + "' was interrupted");
    } catch (java.util.concurrent.ExecutionException wrapped) {
      Throwable e = wrapped.getCause();
      if (isTimeout(e)) {
        suspect = true;
        throw new ToolException(
            "TimeoutError",
            "MCP server '"
                + config.name()
                + "' did not answer "
                + tool
                + " within "
                + seconds(config.timeout())
                + " (the server's timeout: in the agent file)");
      }
      if (e instanceof io.modelcontextprotocol.spec.McpError error && !dead()) {
        // A JSON-RPC error response: the server is fine but would not do the call (an unknown
        // tool, arguments it rejects). The block can catch it like an isError result.
        throw new ToolException(
            "McpError",
            "MCP server '"
                + config.name()
                + "' answered "
                + tool
                + " with an error"
                + rpcCode(error)
                + ": "
                + error.getMessage());
      }
      broken = true;
      throw ToolException.runtimeError(failure("failed during the call to " + tool, e));
    }
  }

  private static String rpcCode(io.modelcontextprotocol.spec.McpError error) {
    McpSchema.JSONRPCResponse.JSONRPCError rpc = error.getJsonRpcError();
    return rpc == null ? "" : " (JSON-RPC code " + rpc.code() + ")";
  }

  private String lastErrors() {
    List<String> tail;
    synchronized (stderrTail) {
      tail = List.copyOf(stderrTail);
    }
    return tail.isEmpty()
        ? ""
        : "; its last error output: "
            + String.join(" | ", tail.subList(Math.max(0, tail.size() - 3), tail.size()));
  }

  private void ensureRunning(List<String> restarts) throws ToolException {
    if (suspect && !broken && !dead()) {
      // A call timed out: the server may be stuck, or its connection lost (a line that was
      // not JSON-RPC ends the SDK's reading). A ping tells.
      suspect = false;
      try {
        client.ping();
      } catch (RuntimeException e) {
        broken = true;
      }
    }
    if (!broken && !dead()) {
      return;
    }
    String why =
        process != null && !process.isAlive()
            ? "stopped (exit code " + process.exitValue() + ")"
            : "stopped answering";
    if (restarted) {
      throw ToolException.runtimeError(
          "MCP server '"
              + config.name()
              + "' "
              + why
              + " again after a restart; it is not restarted twice");
    }
    restarted = true;
    stopClient();
    try {
      connect();
    } catch (RuntimeException e) {
      broken = true;
      throw ToolException.runtimeError(failure(why + " and could not be restarted", e));
    }
    broken = false;
    restarts.add(why);
  }

  private boolean dead() {
    return process != null && !process.isAlive();
  }

  /** A message naming the server, what it is, what happened and the cause. */
  private String failure(String what, Throwable e) {
    StringBuilder text =
        new StringBuilder("MCP server '")
            .append(config.name())
            .append("' (")
            .append(config.describe())
            .append(") ")
            .append(what)
            .append(": ")
            .append(cause(e));
    if (process != null && !process.isAlive()) {
      text.append(" (exit code ").append(process.exitValue()).append(')');
    }
    return text.append(lastErrors()).toString();
  }

  private String cause(Throwable e) {
    if (isTimeout(e)) {
      return "no answer within " + seconds(config.timeout());
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : e.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TimeoutException
          || (t.getMessage() != null && t.getMessage().contains("within"))) {
        return true;
      }
    }
    return false;
  }

  private static String seconds(Duration duration) {
    double s = duration.toMillis() / 1000.0;
    return (s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)) + " s";
  }

  /**
   * Stops the server and whatever it started; safe to call more than once. Does not wait for a call
   * in progress: that call fails at once, as its server is gone.
   */
  void close() {
    closed = true;
    stopClient();
  }

  private void stopClient() {
    McpSyncClient old = client;
    Process oldProcess = process;
    client = null;
    process = null;
    stop(old, oldProcess);
  }

  private static void stop(McpSyncClient old, Process oldProcess) {
    if (old != null) {
      try {
        old.close();
      } catch (RuntimeException e) {
        // Stopping anyway, below.
      }
    }
    if (oldProcess != null) {
      List<ProcessHandle> tree = new ArrayList<>(oldProcess.descendants().toList());
      tree.add(oldProcess.toHandle());
      tree.forEach(ProcessHandle::destroy);
      try {
        oldProcess.waitFor(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tree.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** The transport's process: the SDK keeps it private, but the runtime must watch and end it. */
  private static Process processOf(StdioClientTransport transport) {
    try {
      Field field = StdioClientTransport.class.getDeclaredField("process");
      field.setAccessible(true);
      return (Process) field.get(transport);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static String version() {
    return Optional.ofNullable(McpServer.class.getPackage().getImplementationVersion())
        .orElse("dev");
  }
}
