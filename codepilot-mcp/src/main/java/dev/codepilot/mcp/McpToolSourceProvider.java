package dev.codepilot.mcp;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.tools.ToolSource;
import dev.codepilot.tools.ToolSourceProvider;
import java.util.List;

/**
 * Gives a runtime the tools of the agent file's {@code mcp_servers}; found by the core through
 * {@link java.util.ServiceLoader} when this module is on the class path.
 */
public final class McpToolSourceProvider implements ToolSourceProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public McpToolSourceProvider() {}

  @Override
  public boolean handles(AgentConfig config) {
    return !config.mcpServers().isEmpty();
  }

  @Override
  public List<ToolSource> open(AgentConfig config) {
    return McpToolSource.start(config);
  }
}
