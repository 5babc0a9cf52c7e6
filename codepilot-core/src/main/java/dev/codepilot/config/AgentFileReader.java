package dev.codepilot.config;

import dev.codepilot.model.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Applies the agent file's rules to its YAML tree and builds the {@link AgentConfig}: the layout of
 * the file (nested under {@code agent:} or flat), the agent's name and role, and the order in which
 * the sections are read. Each section has a reader of its own; the work dir is created last, once
 * the whole file has been found valid.
 */
final class AgentFileReader {

  static final List<String> AGENT_KEYS =
      List.of(
          "name",
          "role",
          "system_prompt",
          "model",
          "runtime",
          "tools",
          "mcp_servers",
          "agents",
          "session");

  private final Path file;
  private final Path dir;
  private final YamlValues values;
  private final AgentFilePaths paths;
  private final ProviderNames providers;
  private final List<Path> chain;

  /** A reader for a file loaded as a sub-agent: {@code chain} holds the files around it. */
  AgentFileReader(Path file, List<Path> chain, ProviderNames providers) {
    this.file = file;
    this.dir = file.toAbsolutePath().normalize().getParent();
    this.values = new YamlValues(file);
    this.paths = new AgentFilePaths(dir, values);
    this.providers = providers;
    this.chain = List.copyOf(chain);
  }

  /** A reader for a file loaded by itself. */
  AgentFileReader(Path file, ProviderNames providers) {
    this(file, List.of(file.toAbsolutePath().normalize()), providers);
  }

  AgentConfig read(Node root) throws AgentFileException {
    YamlMap agent = agentSection(root);
    String name = agent.requiredText("name", "the agent's name, like BackendEngineer");
    String role = agent.text("role").orElse("");
    String systemPrompt = new PromptFiles(values, paths).systemPrompt(agent);
    ModelConfig model = new ModelSectionReader(values, paths, providers).read(agent);
    RuntimeSectionReader runtimeReader = new RuntimeSectionReader(values, paths);
    RuntimeConfig runtime = runtimeReader.read(agent);
    List<ToolConfig> tools = new ToolsSectionReader(values).read(agent);
    List<McpServerConfig> mcpServers =
        new McpServersReader(values, dir, System::getenv).read(agent);
    List<String> taken = new ArrayList<>();
    tools.forEach(tool -> taken.add(tool.name()));
    mcpServers.forEach(server -> taken.add(server.name()));
    ToolsSectionReader.BUILT_IN_TOOLS.keySet().forEach(taken::add);
    List<SubAgentConfig> agents =
        new SubAgentsReader(values, dir, chain, providers.names()).read(agent, taken);
    Optional<SessionConfig> session = new SessionSectionReader(values).read(agent);
    WorkDirs.create(
        values, runtime.workDir(), runtimeReader.workDirField(), runtimeReader.workDirLine());
    AgentConfig.Builder config =
        AgentConfig.builder()
            .name(name)
            .role(role)
            .systemPrompt(systemPrompt)
            .model(model)
            .runtime(runtime)
            .tools(tools)
            .source(file.toAbsolutePath().normalize())
            .mcpServers(mcpServers)
            .agents(agents);
    session.ifPresent(config::session);
    return config.build();
  }

  /** The settings mapping: under {@code agent:} in the nested form, the file itself when flat. */
  private YamlMap agentSection(Node root) throws AgentFileException {
    YamlMap top =
        values.map(
            root,
            "",
            YamlValues.line(root),
            "a mapping of settings, starting with 'agent:' or 'name:'");
    if (!top.has("agent")) {
      top.allowOnly(concat(AGENT_KEYS, "agent"), "at the top level");
      return top;
    }
    Optional<String> stray = top.firstKeyOutside(List.of("agent"));
    if (stray.isPresent() && AGENT_KEYS.contains(stray.get())) {
      throw values.error(
          stray.get(),
          top.keyLine(stray.get()),
          "belongs under 'agent:'; indent it like the other agent settings");
    }
    top.allowOnly(List.of("agent"), "at the top level (the other settings go under it)");
    YamlMap agent =
        top.map("agent", "a mapping of the agent's settings (name:, model:, ...)")
            .orElseThrow(
                () ->
                    values.error(
                        "agent",
                        top.keyLine("agent"),
                        "is empty; put the agent's settings under it, starting with name: and model:"));
    agent.allowOnly(AGENT_KEYS, "under agent");
    return agent;
  }

  private static List<String> concat(List<String> list, String extra) {
    return Stream.concat(list.stream(), Stream.of(extra)).toList();
  }
}
