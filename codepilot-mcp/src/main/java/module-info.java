/**
 * Model Context Protocol both ways: MCP servers' tools called from control blocks (a tool source
 * found through {@link java.util.ServiceLoader}), and an agent served as an MCP server.
 */
// The MCP SDK and Reactor have Automatic-Module-Names but no module descriptors.
@SuppressWarnings("requires-automatic")
module dev.codepilot.mcp {
  requires transitive dev.codepilot;
  requires java.net.http;
  requires io.modelcontextprotocol.sdk.mcp.core;
  requires io.modelcontextprotocol.sdk.mcp.json.jackson2;
  requires reactor.core;

  exports dev.codepilot.mcp;

  provides dev.codepilot.tools.ToolSourceProvider with
      dev.codepilot.mcp.McpToolSourceProvider;
}
