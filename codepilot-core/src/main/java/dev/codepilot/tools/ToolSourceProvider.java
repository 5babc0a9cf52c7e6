package dev.codepilot.tools;

import dev.codepilot.config.AgentConfig;
import java.util.List;

/**
 * Opens the {@link ToolSource}s an agent file asks for. Implementations are found with {@link
 * java.util.ServiceLoader} (an entry in {@code
 * META-INF/services/dev.codepilot.tools.ToolSourceProvider}), so that the core needs no library of
 * theirs: {@code codepilot-mcp} provides the one for {@code mcp_servers}.
 */
public interface ToolSourceProvider {

  /** Whether the agent file asks this provider for anything. */
  boolean handles(AgentConfig config);

  /**
   * Starts opening the sources of {@code config} (one per MCP server, say) and returns at once;
   * {@link ToolSource#tools()} waits for each. Failures to start surface there, as a {@link
   * ToolSourceException}.
   */
  List<ToolSource> open(AgentConfig config);
}
