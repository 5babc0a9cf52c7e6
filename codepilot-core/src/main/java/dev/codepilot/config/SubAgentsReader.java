package dev.codepilot.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the agent file's {@code agents:} list into {@link SubAgentConfig}s, loading each
 * sub-agent's own file. Agent files may nest {@link #MAX_DEPTH} deep; a file that includes itself,
 * directly or through others, is refused with the chain named.
 */
final class SubAgentsReader {

  static final List<String> AGENT_ENTRY_KEYS =
      List.of("name", "file", "description", "max_steps", "session");

  /** How deep agent files may nest: a parent, its sub-agents, and theirs. */
  static final int MAX_DEPTH = 3;

  private final YamlValues values;
  private final Path dir;
  private final List<Path> chain;
  private final Set<String> providerNames;

  /**
   * @param chain the agent files being loaded, outermost first, ending with this one
   * @param providerNames the names a sub-agent's model.provider may take, as for this file
   */
  SubAgentsReader(YamlValues values, Path dir, List<Path> chain, Set<String> providerNames) {
    this.values = values;
    this.dir = dir;
    this.chain = chain;
    this.providerNames = providerNames;
  }

  List<SubAgentConfig> read(YamlMap agent, List<String> takenNames) throws AgentFileException {
    Optional<Node> node = agent.get("agents");
    if (node.isEmpty() || YamlValues.isNull(node.get())) {
      return List.of();
    }
    String field = agent.field("agents");
    if (!(node.get() instanceof SequenceNode list)) {
      throw values.mustBe(
          field,
          node.get(),
          "a list of sub-agents, each like '- name: researcher' with file: ./researcher.yaml");
    }
    List<SubAgentConfig> agents = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      Node item = list.getValue().get(i);
      YamlMap entry =
          values.map(
              item,
              field + "[" + i + "]",
              YamlValues.line(item),
              "a mapping like '- name: researcher' with file: ./researcher.yaml");
      entry.allowOnly(AGENT_ENTRY_KEYS, "in a sub-agent entry");
      SubAgentConfig config = entry(entry, takenNames);
      Integer firstLine = seen.putIfAbsent(config.name(), entry.keyLine("name"));
      if (firstLine != null) {
        throw values.error(
            entry.field("name"),
            entry.get("name").orElseThrow(),
            "sub-agent "
                + YamlValues.quote(config.name())
                + " is already listed on line "
                + firstLine
                + "; give each sub-agent its own name");
      }
      agents.add(config);
    }
    return agents;
  }

  private SubAgentConfig entry(YamlMap entry, List<String> takenNames) throws AgentFileException {
    String name = entry.requiredText("name", "the Python name blocks call it by, like researcher");
    Node nameNode = entry.get("name").orElseThrow();
    Names.requireCallableName(
        values,
        entry.field("name"),
        nameNode,
        name,
        "sub-agent name",
        "blocks call the sub-agent by this name, so use letters, digits and '_', starting with"
            + " a letter, like researcher");
    if (takenNames.contains(name)) {
      throw values.error(
          entry.field("name"),
          nameNode,
          "sub-agent name "
              + YamlValues.quote(name)
              + " is already the name of a tool or MCP server; choose another");
    }
    Node fileNode = entry.require("file", "the sub-agent's agent file, like ./researcher.yaml");
    String text = values.text(fileNode, entry.field("file"));
    Path file;
    try {
      file = dir.resolve(text == null ? "" : text).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw values.error(
          entry.field("file"),
          fileNode,
          "is not a valid path (" + e.getReason() + "); fix the path");
    }
    if (!Files.isRegularFile(file)) {
      throw values.error(
          entry.field("file"),
          fileNode,
          file + " is not a file (paths are" + " relative to " + dir + "); fix the path");
    }
    Path canonical = canonical(file);
    if (chain.stream().map(SubAgentsReader::canonical).anyMatch(canonical::equals)) {
      throw values.error(
          entry.field("file"),
          fileNode,
          "agent files include each other in a"
              + " cycle: "
              + describe(Stream.concat(chain.stream(), Stream.of(file)).toList())
              + "; a sub-agent cannot call an agent that calls it");
    }
    if (chain.size() >= MAX_DEPTH) {
      throw values.error(
          entry.field("file"),
          fileNode,
          "agent files nest more than "
              + MAX_DEPTH
              + " deep: "
              + describe(Stream.concat(chain.stream(), Stream.of(file)).toList())
              + "; call the deepest agent's work from a shallower one");
    }
    List<Path> deeper = new ArrayList<>(chain);
    deeper.add(file);
    AgentConfig config = AgentFile.load(file, deeper, providerNames);
    Optional<String> description = entry.text("description").filter(d -> !d.isBlank());
    OptionalInt maxSteps =
        entry.has("max_steps")
            ? OptionalInt.of(entry.integer("max_steps", 1, 1))
            : OptionalInt.empty();
    SubAgentConfig.SessionMode session = SubAgentConfig.SessionMode.INHERIT;
    Optional<Node> sessionNode = entry.get("session");
    if (sessionNode.isPresent()) {
      String mode = values.text(sessionNode.get(), entry.field("session"));
      try {
        session =
            SubAgentConfig.SessionMode.valueOf((mode == null ? "" : mode).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw values.error(
            entry.field("session"),
            sessionNode.get(),
            "must be inherit (one"
                + " history across calls, kept with the parent's session) or fresh (each call"
                + " starts afresh); found "
                + YamlValues.describe(sessionNode.get()));
      }
    }
    return new SubAgentConfig(name, file, config, description, maxSteps, session);
  }

  private static Path canonical(Path file) {
    try {
      return file.toRealPath();
    } catch (java.io.IOException e) {
      return file.toAbsolutePath().normalize();
    }
  }

  private static String describe(List<Path> files) {
    return files.stream().map(Path::toString).collect(Collectors.joining(" → "));
  }
}
