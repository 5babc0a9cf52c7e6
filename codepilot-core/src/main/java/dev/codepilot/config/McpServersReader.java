package dev.codepilot.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads the agent file's {@code mcp_servers:} list into {@link McpServerConfig}s. */
final class McpServersReader {

  static final List<String> SERVER_KEYS =
      List.of(
          "name",
          "command",
          "args",
          "env",
          "cwd",
          "url",
          "headers",
          "require_permission",
          "timeout",
          "tools");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final String SECONDS = "a number of seconds of at least 0.001, like 30 or 2.5";

  private final YamlValues values;
  private final Path dir;
  private final UnaryOperator<String> environment;

  McpServersReader(YamlValues values, Path dir, UnaryOperator<String> environment) {
    this.values = values;
    this.dir = dir;
    this.environment = environment;
  }

  List<McpServerConfig> read(YamlMap agent) throws AgentFileException {
    Optional<Node> node = agent.get("mcp_servers");
    if (node.isEmpty()) {
      return List.of();
    }
    String field = agent.field("mcp_servers");
    if (!(node.get() instanceof SequenceNode list)) {
      throw values.mustBe(
          field, node.get(), "a list of servers, each like '- name: files' with command: or url:");
    }
    List<McpServerConfig> servers = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      Node item = list.getValue().get(i);
      YamlMap server =
          values.map(
              item,
              field + "[" + i + "]",
              YamlValues.line(item),
              "a mapping like '- name: files' with command: (stdio) or url: (HTTP)");
      server.allowOnly(SERVER_KEYS, "in an MCP server entry");
      McpServerConfig config = server(server);
      Integer firstLine = seen.putIfAbsent(config.name(), server.keyLine("name"));
      if (firstLine != null) {
        throw values.error(
            server.field("name"),
            server.get("name").orElseThrow(),
            "MCP server "
                + YamlValues.quote(config.name())
                + " is already listed on line "
                + firstLine
                + "; give each server its own name");
      }
      servers.add(config);
    }
    return servers;
  }

  private McpServerConfig server(YamlMap server) throws AgentFileException {
    String name =
        server.requiredText("name", "the Python name blocks call the server by, like files");
    Node nameNode = server.get("name").orElseThrow();
    Names.requireCallableName(
        values,
        server.field("name"),
        nameNode,
        name,
        "MCP server name",
        "blocks call the server by this name, so use letters, digits and '_', starting with a"
            + " letter, like files");
    boolean stdio = server.has("command");
    boolean http = server.has("url");
    if (stdio == http) {
      throw values.error(
          server.field("name"),
          server.line(),
          stdio
              ? "MCP server "
                  + YamlValues.quote(name)
                  + " has both command: and url:; give"
                  + " command: for a server started over stdio, or url: for one reached over HTTP"
              : "MCP server "
                  + YamlValues.quote(name)
                  + " needs command: (a program started over"
                  + " stdio) or url: (a streamable HTTP endpoint)");
    }
    for (String key : stdio ? List.of("headers") : List.of("args", "env", "cwd")) {
      if (server.has(key)) {
        throw values.error(
            server.field(key),
            server.keyLine(key),
            stdio
                ? "headers are for HTTP servers (url:); remove it"
                : "is for servers started with command:; remove it");
      }
    }
    Optional<String> command = Optional.empty();
    Optional<URI> url = Optional.empty();
    if (stdio) {
      command = Optional.of(server.requiredText("command", "the program to start, like npx"));
    } else {
      url = Optional.of(httpUrl(server.get("url").orElseThrow(), server.field("url")));
    }
    List<String> args = texts(server, "args", "a list of arguments, like [-y, some-package]");
    Map<String, String> env = mapping(server, "env", true);
    Optional<Path> cwd = Optional.empty();
    Optional<Node> cwdNode = server.get("cwd");
    if (cwdNode.isPresent()) {
      String text = values.text(cwdNode.get(), server.field("cwd"));
      try {
        Path path = dir.resolve(text == null ? "" : text).normalize();
        if (!Files.isDirectory(path)) {
          throw values.error(
              server.field("cwd"),
              cwdNode.get(),
              path + " is not a folder" + " (paths are relative to " + dir + "); fix the path");
        }
        cwd = Optional.of(path);
      } catch (InvalidPathException e) {
        throw values.error(
            server.field("cwd"),
            cwdNode.get(),
            "is not a valid path (" + e.getReason() + "); fix the path");
      }
    }
    Map<String, String> headers = mapping(server, "headers", false);
    boolean requirePermission = server.bool("require_permission", false);
    Duration timeout = McpServerConfig.DEFAULT_TIMEOUT;
    Optional<Node> timeoutNode = server.get("timeout");
    if (timeoutNode.isPresent()) {
      double seconds =
          values.number(
              timeoutNode.get(), server.field("timeout"), 0.001, Double.MAX_VALUE, SECONDS);
      timeout = Duration.ofNanos(Math.round(seconds * 1e9));
    }
    List<String> tools =
        texts(
            server,
            "tools",
            "a list of the server's tool names to offer,"
                + " like [read_text_file, list_directory]");
    if (server.has("tools") && tools.isEmpty()) {
      throw values.error(
          server.field("tools"),
          server.keyLine("tools"),
          "lists no tools; name" + " the tools to offer, or remove tools: to offer them all");
    }
    return new McpServerConfig(
        name,
        command,
        args,
        env,
        cwd,
        url,
        headers,
        requirePermission,
        timeout,
        tools,
        server.line());
  }

  private URI httpUrl(Node node, String field) throws AgentFileException {
    String text = values.text(node, field);
    String rule =
        "must be an absolute http or https URL, like http://127.0.0.1:3001/mcp;"
            + " found "
            + YamlValues.describe(node);
    try {
      URI uri = new URI(text == null ? "" : text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // Reported below with the rule.
    }
    throw values.error(field, node, rule);
  }

  private List<String> texts(YamlMap map, String key, String rule) throws AgentFileException {
    Optional<Node> node = map.get(key);
    if (node.isEmpty()) {
      return List.of();
    }
    String field = map.field(key);
    if (!(node.get() instanceof SequenceNode list)) {
      throw values.mustBe(field, node.get(), rule);
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      Node item = list.getValue().get(i);
      String text = values.text(item, field + "[" + i + "]");
      if (text == null || text.indexOf('\0') >= 0) {
        throw values.mustBe(field + "[" + i + "]", item, "text without NUL characters");
      }
      texts.add(text);
    }
    return texts;
  }

  /** env: or headers:, with ${VAR} replaced from the environment. */
  private Map<String, String> mapping(YamlMap server, String key, boolean variables)
      throws AgentFileException {
    Optional<YamlMap> found =
        server.map(
            key,
            variables
                ? "a mapping of variable names to values, like {LOG_LEVEL: warn}"
                : "a mapping of header names to values, like {Authorization: \"Bearer ${TOKEN}\"}");
    if (found.isEmpty()) {
      return Map.of();
    }
    YamlMap map = found.get();
    Map<String, String> result = new LinkedHashMap<>();
    for (String name : map.keys()) {
      if (variables && !ENV_NAME.matcher(name).matches()) {
        throw values.error(
            map.field(name),
            map.keyLine(name),
            "is not a variable name; use"
                + " letters, digits and '_', starting with a letter or '_'");
      }
      if (!variables && !HEADER_NAME.matcher(name).matches()) {
        throw values.error(
            map.field(name),
            map.keyLine(name),
            "is not an HTTP header name;" + " use letters, digits and '-', like Authorization");
      }
      Optional<Node> value = map.get(name);
      String text = value.isEmpty() ? "" : values.text(value.get(), map.field(name));
      text = text == null ? "" : text;
      if (text.indexOf('\0') >= 0 || (!variables && (text.contains("\n") || text.contains("\r")))) {
        throw values.mustBe(
            map.field(name),
            value.orElseThrow(),
            variables ? "text without NUL characters" : "one line of text");
      }
      result.put(name, expand(text, map.field(name), map.keyLine(name)));
    }
    return result;
  }

  private String expand(String text, String field, int line) throws AgentFileException {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String variable = matcher.group(1);
      String value = environment.apply(variable);
      if (value == null) {
        // Name the variable, never a value: it is usually a secret.
        throw values.error(
            field,
            line,
            "uses ${"
                + variable
                + "}, but the environment"
                + " variable "
                + variable
                + " is not set; set it before starting the agent");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
