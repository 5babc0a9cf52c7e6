package dev.codepilot.config;

import dev.codepilot.model.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole agent file, validated and with every path resolved. Read by {@link AgentFile#load}, or
 * made in code with {@link #builder()}:
 *
 * <pre>{@code
 * AgentConfig config = AgentConfig.builder()
 *     .name("Calculator")
 *     .role("Does arithmetic carefully.")
 *     .model(ModelConfig.replay(cassette))
 *     .workDir(Path.of("workspace"))
 *     .build();
 * }</pre>
 *
 * @param name the agent's name; never blank
 * @param role one line saying what the agent is; may be empty
 * @param systemPrompt the agent's own instructions (the text, already read from its file when the
 *     agent file named one); may be empty
 * @param model the model section
 * @param runtime the runtime section
 * @param tools the tools section, in file order
 * @param source the file this was loaded from, if any
 * @param mcpServers the {@code mcp_servers} section, in file order
 * @param agents the {@code agents} section: sub-agents, in file order
 * @param session the {@code session:} section, when the file has one
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
      throw new IllegalArgumentException(
          "AgentConfig.name must not be blank; give the agent a" + " name, such as \"Calculator\"");
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

  /** The configuration of the named tool, if the file lists it. */
  public Optional<ToolConfig> tool(String toolName) {
    return tools.stream().filter(t -> t.name().equals(toolName)).findFirst();
  }

  /** A copy with another runtime section. */
  public AgentConfig withRuntime(RuntimeConfig newRuntime) {
    return new AgentConfig(
        name, role, systemPrompt, model, newRuntime, tools, source, mcpServers, agents, session);
  }

  /** A builder with every setting at its default; {@code name} and {@code model} must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's settings, to make a changed copy. */
  public Builder toBuilder() {
    Builder builder =
        new Builder()
            .name(name)
            .role(role)
            .systemPrompt(systemPrompt)
            .model(model)
            .runtime(runtime)
            .tools(tools)
            .mcpServers(mcpServers)
            .agents(agents);
    builder.source = source.orElse(null);
    builder.session = session.orElse(null);
    return builder;
  }

  /**
   * Makes an {@link AgentConfig} in code, with the agent file's defaults for what is not set: no
   * role and no system prompt of its own, {@link RuntimeConfig#defaults} in the folder {@value
   * #DEFAULT_WORK_DIR} of the current directory, every built-in tool enabled with its defaults, no
   * MCP servers, no sub-agents, no {@code session:} section and no source file. {@code name} and
   * {@code model} have no default.
   */
  public static final class Builder {

    /** The workspace when neither {@link #runtime} nor {@link #workDir} is set. */
    public static final String DEFAULT_WORK_DIR = "workspace";

    private String name;
    private String role = "";
    private String systemPrompt = "";
    private ModelConfig model;
    private RuntimeConfig runtime;
    private final List<ToolConfig> tools = new ArrayList<>();
    private Path source;
    private final List<McpServerConfig> mcpServers = new ArrayList<>();
    private final List<SubAgentConfig> agents = new ArrayList<>();
    private SessionConfig session;

    private Builder() {}

    /** The agent's name, shown in events and used for the default session id; required. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** One line saying what the agent is; default empty. */
    public Builder role(String role) {
      this.role = Objects.requireNonNull(role, "role");
      return this;
    }

    /** The agent's own instructions, as text; default empty. */
    public Builder systemPrompt(String systemPrompt) {
      this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt");
      return this;
    }

    /** The model section, such as {@code ModelConfig.replay(cassette)}; required. */
    public Builder model(ModelConfig model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** The whole runtime section; replaces what {@link #workDir} set. */
    public Builder runtime(RuntimeConfig runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
      return this;
    }

    /**
     * The workspace, with every other runtime setting at its default (or as {@link #runtime} set
     * it); a relative path is resolved against the current directory.
     */
    public Builder workDir(Path workDir) {
      Objects.requireNonNull(workDir, "workDir");
      this.runtime =
          runtime == null ? RuntimeConfig.defaults(workDir) : runtime.withWorkDir(workDir);
      return this;
    }

    /** Adds the settings of one tool (to disable it, or configure it), after those added. */
    public Builder tool(ToolConfig tool) {
      this.tools.add(Objects.requireNonNull(tool, "tool"));
      return this;
    }

    /** The tools section, replacing the tools added so far. */
    public Builder tools(List<ToolConfig> tools) {
      this.tools.clear();
      tools.forEach(this::tool);
      return this;
    }

    /** The {@code mcp_servers} section, replacing what was set. */
    public Builder mcpServers(List<McpServerConfig> servers) {
      this.mcpServers.clear();
      servers.forEach(server -> mcpServers.add(Objects.requireNonNull(server, "server")));
      return this;
    }

    /** The {@code agents} section (sub-agents), replacing what was set. */
    public Builder agents(List<SubAgentConfig> subAgents) {
      this.agents.clear();
      subAgents.forEach(agent -> agents.add(Objects.requireNonNull(agent, "agent")));
      return this;
    }

    /** The {@code session:} section: where the agent's sessions are kept by default. */
    public Builder session(SessionConfig session) {
      this.session = Objects.requireNonNull(session, "session");
      return this;
    }

    /** The agent file this configuration stands for, when there is one; default none. */
    public Builder source(Path source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException when {@code name} or {@code model} was not set, or {@code
     *     name} is blank, or two tools share a name; the message names the setting
     */
    public AgentConfig build() {
      if (name == null) {
        throw new IllegalArgumentException(
            "AgentConfig.name is not set; call .name(\"...\")" + " on the builder");
      }
      if (model == null) {
        throw new IllegalArgumentException(
            "AgentConfig.model is not set; call .model(...) on"
                + " the builder, for example with ModelConfig.replay(cassette)");
      }
      List<String> seen = new ArrayList<>();
      for (ToolConfig tool : tools) {
        if (seen.contains(tool.name())) {
          throw new IllegalArgumentException(
              "AgentConfig.tools: the tool '"
                  + tool.name()
                  + "' is listed twice; give each tool's settings once");
        }
        seen.add(tool.name());
      }
      RuntimeConfig chosen =
          runtime != null ? runtime : RuntimeConfig.defaults(Path.of(DEFAULT_WORK_DIR));
      return new AgentConfig(
          name,
          role,
          systemPrompt,
          model,
          chosen,
          tools,
          Optional.ofNullable(source),
          mcpServers,
          agents,
          Optional.ofNullable(session));
    }
  }
}
