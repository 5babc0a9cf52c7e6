package dev.codepilot.mcp;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.McpServerConfig;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolSource;
import dev.codepilot.tools.ToolSourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The MCP servers of one runtime. Each starts on its own thread as soon as the runtime is
 * built; {@link #tools()} waits for all of them, and {@link #close()} stops them.
 */
final class McpToolSource implements ToolSource {

  private final List<McpServer> servers;
  private final List<CompletableFuture<List<ToolDefinition>>> started;

  private McpToolSource(List<McpServer> servers,
      List<CompletableFuture<List<ToolDefinition>>> started) {
    this.servers = servers;
    this.started = started;
  }

  static McpToolSource start(AgentConfig config) {
    List<McpServer> servers = new ArrayList<>();
    List<CompletableFuture<List<ToolDefinition>>> started = new ArrayList<>();
    for (McpServerConfig server : config.mcpServers()) {
      McpServer connection = new McpServer(server, config.runtime());
      servers.add(connection);
      CompletableFuture<List<ToolDefinition>> future = new CompletableFuture<>();
      Thread.ofPlatform().daemon().name("codepilot-mcp-start-" + server.name()).start(() -> {
        try {
          future.complete(connection.start());
        } catch (Throwable e) {
          future.completeExceptionally(e);
        }
      });
      started.add(future);
    }
    return new McpToolSource(servers, started);
  }

  @Override
  public List<ToolDefinition> tools() {
    List<ToolDefinition> tools = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (CompletableFuture<List<ToolDefinition>> future : started) {
      try {
        tools.addAll(future.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ToolSourceException("interrupted while waiting for the MCP servers to start");
      } catch (ExecutionException | CompletionException e) {
        failures.add(e.getCause() == null ? String.valueOf(e) : e.getCause().getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new ToolSourceException(String.join("; ", failures));
    }
    return tools;
  }

  @Override
  public void close() {
    for (McpServer server : servers) {
      server.close();
    }
  }
}
