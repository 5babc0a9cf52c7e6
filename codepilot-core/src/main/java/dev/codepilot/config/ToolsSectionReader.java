package dev.codepilot.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the agent file's {@code tools:} list: one entry per tool, the built-in tools' known
 * settings checked, the settings of the user's own tools passed on as they are.
 */
final class ToolsSectionReader {

  static final List<String> TOOL_KEYS = List.of("name", "enabled", "config");

  /** The built-in tools and the settings each one reads; other names are the user's tools. */
  static final Map<String, List<String>> BUILT_IN_TOOLS =
      Map.of(
          "write_file", List.of("require_permission"),
          "read_file", List.of("require_permission"),
          "run_command", List.of("require_permission", "timeout"),
          "ask_user", List.of("require_permission"),
          "think", List.of(),
          "done", List.of());

  private final YamlValues values;

  ToolsSectionReader(YamlValues values) {
    this.values = values;
  }

  List<ToolConfig> read(YamlMap agent) throws AgentFileException {
    Optional<Node> node = agent.get("tools");
    if (node.isEmpty()) {
      return List.of();
    }
    String field = agent.field("tools");
    if (!(node.get() instanceof SequenceNode list)) {
      throw values.mustBe(field, node.get(), "a list of tools, each like '- name: write_file'");
    }
    List<ToolConfig> tools = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      Node item = list.getValue().get(i);
      YamlMap tool =
          values.map(
              item,
              field + "[" + i + "]",
              YamlValues.line(item),
              "a mapping like '- name: write_file' with optional enabled: and config:");
      tool.allowOnly(TOOL_KEYS, "in a tool entry");
      ToolConfig config = tool(tool);
      Integer firstLine = seen.putIfAbsent(config.name(), tool.keyLine("name"));
      if (firstLine != null) {
        throw values.error(
            tool.field("name"),
            tool.get("name").orElseThrow(),
            "tool "
                + YamlValues.quote(config.name())
                + " is already listed on line "
                + firstLine
                + "; keep one entry per tool");
      }
      tools.add(config);
    }
    return tools;
  }

  private ToolConfig tool(YamlMap tool) throws AgentFileException {
    String name = tool.requiredText("name", "the tool's name, like write_file");
    Node nameNode = tool.get("name").orElseThrow();
    Names.requireCallableName(
        values,
        tool.field("name"),
        nameNode,
        name,
        "tool name",
        "use letters, digits and '_', starting with a letter, like fetch_url");
    boolean enabled = tool.bool("enabled", true);
    if (!enabled && ToolConfig.ALWAYS_ENABLED.contains(name)) {
      throw values.error(
          tool.field("enabled"),
          tool.get("enabled").orElseThrow(),
          "the " + name + " tool cannot be disabled; remove 'enabled: false'");
    }
    Optional<YamlMap> settings = tool.map("config", "a mapping of the tool's settings");
    Map<String, Object> config = new HashMap<>();
    if (settings.isPresent()) {
      List<String> known = BUILT_IN_TOOLS.get(name);
      if (known == null) {
        for (String key : settings.get().keys()) {
          Node value =
              settings
                  .get()
                  .get(key)
                  .orElseThrow(
                      () ->
                          values.error(
                              settings.get().field(key),
                              settings.get().keyLine(key),
                              "has no value; give it one or remove it"));
          config.put(key, values.plain(value, settings.get().field(key)));
        }
      } else {
        builtInConfig(name, known, settings.get(), config);
      }
    }
    return new ToolConfig(name, enabled, config);
  }

  private void builtInConfig(
      String tool, List<String> known, YamlMap settings, Map<String, Object> config)
      throws AgentFileException {
    if (known.isEmpty()) {
      Optional<String> any = settings.firstKeyOutside(known);
      if (any.isPresent()) {
        throw values.error(
            settings.field(any.get()),
            settings.keyLine(any.get()),
            "the " + tool + " tool has no settings; remove config");
      }
      return;
    }
    settings.allowOnly(known, "for the built-in " + tool + " tool");
    Optional<Node> requirePermission = settings.get("require_permission");
    if (requirePermission.isPresent()) {
      config.put(
          "require_permission",
          values.bool(requirePermission.get(), settings.field("require_permission")));
    }
    Optional<Node> timeout = settings.get("timeout");
    if (timeout.isPresent()) {
      values.number(
          timeout.get(), settings.field("timeout"), 0.001, Double.MAX_VALUE, YamlMap.SECONDS);
      config.put("timeout", values.numberOrNull(timeout.get()));
    }
  }
}
