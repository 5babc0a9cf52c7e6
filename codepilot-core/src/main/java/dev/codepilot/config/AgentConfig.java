package dev.codepilot.config;

import dev.codepilot.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole agent file, validated and with every path resolved. Built by {@link AgentFile#load}
 * or directly in code.
 *
 * @param name         the agent's name; never blank
 * @param role         one line saying what the agent is; may be empty
 * @param systemPrompt the agent's own instructions (the text, already read from its file when
 *                     the agent file named one); may be empty
 * @param model        the model section
 * @param runtime      the runtime section
 * @param tools        the tools section, in file order
 * @param source       the file this was loaded from, if any
 * @param mcpServers   the {@code mcp_servers} section, in file order
 * @param agents       the {@code agents} section: sub-agents, in file order
 * @param session      the {@code session:} section, when the file has one
 */
public record AgentConfig(
    String name,
    String role,
    String systemPrompt,
    ModelConfig model,
    RuntimeConfig runtime,
    List<ToolConfig> tools,
    Optional<Path> source,
    List<McpServerConfig> mcpServers,
    List<SubAgentConfig> agents,
    Optional<SessionConfig> session) {

  /**
   * Checks the components; {@code tools} is copied.
   *
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public AgentConfig {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(systemPrompt, "systemPrompt");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(runtime, "runtime");
    tools = List.copyOf(tools);
    Objects.requireNonNull(source, "source");
    mcpServers = List.copyOf(mcpServers);
    agents = List.copyOf(agents);
    Objects.requireNonNull(session, "session");
  }

  /** A configuration without a {@code session:} section. */
  public AgentConfig(String name, String role, String systemPrompt, ModelConfig model,
      RuntimeConfig runtime, List<ToolConfig> tools, Optional<Path> source,
      List<McpServerConfig> mcpServers, List<SubAgentConfig> agents) {
    this(name, role, systemPrompt, model, runtime, tools, source, mcpServers, agents,
        Optional.empty());
  }

  /** A configuration without sub-agents or a {@code session:} section. */
  public AgentConfig(String name, String role, String systemPrompt, ModelConfig model,
      RuntimeConfig runtime, List<ToolConfig> tools, Optional<Path> source,
      List<McpServerConfig> mcpServers) {
    this(name, role, systemPrompt, model, runtime, tools, source, mcpServers, List.of());
  }

  /** A configuration without MCP servers, sub-agents or a {@code session:} section. */
  public AgentConfig(String name, String role, String systemPrompt, ModelConfig model,
      RuntimeConfig runtime, List<ToolConfig> tools, Optional<Path> source) {
    this(name, role, systemPrompt, model, runtime, tools, source, List.of());
  }

  /** The configuration of the named tool, if the file lists it. */
  public Optional<ToolConfig> tool(String toolName) {
    return tools.stream().filter(t -> t.name().equals(toolName)).findFirst();
  }

  /** A copy with another runtime section. */
  public AgentConfig withRuntime(RuntimeConfig newRuntime) {
    return new AgentConfig(name, role, systemPrompt, model, newRuntime, tools, source,
        mcpServers, agents, session);
  }

  /** A copy with another {@code mcp_servers} section. */
  public AgentConfig withMcpServers(List<McpServerConfig> servers) {
    return new AgentConfig(name, role, systemPrompt, model, runtime, tools, source, servers,
        agents, session);
  }

  /** A copy with another {@code agents} section. */
  public AgentConfig withAgents(List<SubAgentConfig> subAgents) {
    return new AgentConfig(name, role, systemPrompt, model, runtime, tools, source, mcpServers,
        subAgents, session);
  }
}
