package dev.codepilot.mcp;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.McpServerConfig;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolSource;
import dev.codepilot.tools.ToolSourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One MCP server of a runtime as a source of tools. It starts on its own thread as soon as the
 * runtime is built; {@link #tools()} waits for its tool list, and {@link #close()} stops it. Its
 * {@link #group()} is the server's name, so that runs need not wait for it to start.
 */
final class McpToolSource implements ToolSource {

  private final McpServer server;
  private final CompletableFuture<List<ToolDefinition>> started = new CompletableFuture<>();

  private McpToolSource(McpServer server) {
    this.server = server;
  }

  /** Starts every server of the agent file at once, each on its own thread. */
  static List<ToolSource> start(AgentConfig config) {
    List<ToolSource> sources = new ArrayList<>();
    for (McpServerConfig server : config.mcpServers()) {
      McpToolSource source = new McpToolSource(new McpServer(server, config.runtime()));
      Thread.ofPlatform()
          .daemon()
          .name("codepilot-mcp-start-" + server.name())
          .start(
              () -> {
                try {
                  source.started.complete(source.server.start());
                } catch (Throwable e) {
                  source.started.completeExceptionally(e);
                }
              });
      sources.add(source);
    }
    return sources;
  }

  @Override
  public List<ToolDefinition> tools() {
    try {
      return started.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolSourceException(
          "interrupted while waiting for MCP server '" + server.name() + "' to start");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ToolSourceException failure) {
        throw failure;
      }
      throw new ToolSourceException(
          cause.getMessage() == null ? String.valueOf(cause) : cause.getMessage(), cause);
    }
  }

  @Override
  public Optional<String> group() {
    return Optional.of(server.name());
  }

  @Override
  public boolean isReady() {
    return started.isDone();
  }

  @Override
  public void close() {
    server.close();
  }
}
