/**
 * The Model Context Protocol both ways, on the official MCP Java SDK.
 *
 * <p>As a client: the agent file's {@code mcp_servers:} become tool sources, each server a Python
 * object in control blocks and each of its tools a method with keyword arguments from the tool's
 * JSON schema. {@link dev.codepilot.mcp.McpToolSourceProvider} is found by the core through {@link
 * java.util.ServiceLoader}, so the core needs no MCP dependency.
 *
 * <p>As a server: {@link dev.codepilot.mcp.AgentMcpServer} serves an agent over stdio with a {@code
 * run_task} tool ({@code codepilot mcp AGENT_FILE}).
 *
 * <p>Public API: {@code AgentMcpServer}; {@code McpToolSourceProvider} is public only for the
 * service loader. The rest is package-private.
 */
package dev.codepilot.mcp;
