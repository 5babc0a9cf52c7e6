package dev.codepilot.mcp;

import dev.codepilot.hooks.Event;
import dev.codepilot.internal.PythonSyntax;
import dev.codepilot.tools.PyType;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolException;
import dev.codepilot.tools.ToolInvocation;
import dev.codepilot.tools.ToolParameter;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One tool of an MCP server, as blocks see it: {@code server.tool(arg=...)}, with a Python
 * signature and docstring made from its input schema. Arguments are checked against the schema
 * before anything is sent.
 */
final class McpTool implements ToolDefinition {

  private final McpServer server;
  private final McpSchema.Tool tool;
  private final String name;
  private final List<ToolParameter> parameters = new ArrayList<>();

  /** Python parameter name to the schema's property name. */
  private final Map<String, String> schemaNames = new LinkedHashMap<>();

  private final Map<String, Object> schema;
  private final String signature;
  private final String description;

  McpTool(McpServer server, McpSchema.Tool tool) {
    this.server = server;
    this.tool = tool;
    this.name = server.name() + "." + pythonName(tool.name());
    this.schema = tool.inputSchema() == null ? Map.of("type", "object") : tool.inputSchema();
    Map<String, Object> properties = map(schema.get("properties"));
    List<?> required = schema.get("required") instanceof List<?> list ? list : List.of();
    List<String> shown = new ArrayList<>();
    List<String> optionalShown = new ArrayList<>();
    StringBuilder args = new StringBuilder();
    // Required parameters first, as Python needs them before those with defaults.
    for (boolean pass : new boolean[] {true, false}) {
      for (Map.Entry<String, Object> property : properties.entrySet()) {
        boolean isRequired = required.contains(property.getKey());
        if (isRequired != pass) {
          continue;
        }
        String python = unique(pythonName(property.getKey()));
        schemaNames.put(python, property.getKey());
        Map<String, Object> spec = map(property.getValue());
        String type = pythonType(spec);
        parameters.add(
            isRequired
                ? ToolParameter.required(python, PyType.ANY)
                : ToolParameter.optional(python, PyType.ANY, null));
        String text = python + ": " + type;
        if (isRequired) {
          shown.add(text);
        } else {
          optionalShown.add(text + " = " + literal(spec.get("default")));
        }
        Object doc = spec.get("description");
        args.append("\n    ")
            .append(python)
            .append(" (")
            .append(type)
            .append(")")
            .append(doc instanceof String d && !d.isBlank() ? ": " + d.strip() : "");
      }
    }
    shown.addAll(optionalShown);
    this.signature = name + "(" + String.join(", ", shown) + ")";
    String text =
        tool.description() != null && !tool.description().isBlank()
            ? tool.description().strip()
            : tool.title() != null
                ? tool.title()
                : "The " + tool.name() + " tool of " + server.name();
    this.description = args.isEmpty() ? text : text + "\n\nArgs:" + args;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<ToolParameter> parameters() {
    return parameters;
  }

  @Override
  public String signature() {
    return signature;
  }

  @Override
  public boolean requiresPermission() {
    return server.config().requirePermission();
  }

  @Override
  public Object invoke(ToolInvocation invocation) throws Exception {
    Map<String, Object> args = new LinkedHashMap<>();
    // None for an optional parameter means "not given": the server applies its own default.
    invocation
        .args()
        .forEach(
            (python, value) -> {
              if (value != null
                  || parameters.stream().anyMatch(p -> p.required() && p.name().equals(python))) {
                args.put(schemaNames.get(python), value);
              }
            });
    check(args);
    List<String> restarts = new ArrayList<>();
    McpSchema.CallToolResult result;
    try {
      result = server.call(tool.name(), args, restarts);
    } finally {
      for (String why : restarts) {
        // The model reads it in the step's result; hooks, the console and --json hear it as
        // a runtime_error event, since the server's state changed under the run.
        invocation
            .context()
            .appendExecution(
                "["
                    + server.name()
                    + "] warning: the MCP server"
                    + " had "
                    + why
                    + "; it was restarted (a server is restarted once)");
        invocation
            .context()
            .emit(
                new Event.RuntimeError(
                    "MCP server '"
                        + server.name()
                        + "' had "
                        + why
                        + "; it was restarted (a server is restarted once)"));
      }
    }
    return McpResults.convert(result, name);
  }

  /** Checks the arguments against the input schema; a mismatch is a TypeError, sent nowhere. */
  private void check(Map<String, Object> args) throws ToolException {
    JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();
    JsonSchemaValidator.ValidationResponse response;
    try {
      response = validator.validate(schema, args);
    } catch (RuntimeException e) {
      return; // A schema the validator cannot read: the server checks the arguments itself.
    }
    if (!response.valid()) {
      String problems =
          response.errorMessage() == null
              ? ""
              : response
                  .errorMessage()
                  .replace(
                      "Validation failed: structuredContent does not match tool outputSchema.", "")
                  .strip();
      throw ToolException.typeError(
          name
              + "() arguments do not match the tool's input schema: "
              + problems
              + " (help("
              + name
              + ") shows the parameters)");
    }
  }

  /** A tool or parameter name as a Python identifier: other characters become '_'. */
  static String pythonName(String raw) {
    String text = raw.replaceAll("[^A-Za-z0-9_]", "_");
    if (text.isEmpty() || !Character.isLetter(text.charAt(0))) {
      text = "t" + text;
    }
    // A keyword, hard or soft, cannot be a tool or parameter name: name it with a trailing _.
    return PythonSyntax.isKeyword(text) ? text + "_" : text;
  }

  private String unique(String python) {
    String candidate = python;
    for (int i = 2; schemaNames.containsKey(candidate); i++) {
      candidate = python + "_" + i;
    }
    return candidate;
  }

  /** The Python type of a JSON schema, for the signature. */
  static String pythonType(Map<String, Object> spec) {
    if (spec.get("enum") instanceof List<?> values && !values.isEmpty()) {
      return "Literal["
          + values.stream().map(McpTool::literal).collect(Collectors.joining(", "))
          + "]";
    }
    if (spec.containsKey("const")) {
      return "Literal[" + literal(spec.get("const")) + "]";
    }
    Object type = spec.get("type");
    if (type instanceof List<?> types) {
      return types.stream()
          .map(t -> pythonType(Map.of("type", t)))
          .collect(Collectors.joining(" | "));
    }
    if (!(type instanceof String t)) {
      for (String key : List.of("anyOf", "oneOf")) {
        if (spec.get(key) instanceof List<?> options && !options.isEmpty()) {
          return options.stream()
              .map(o -> pythonType(map(o)))
              .distinct()
              .collect(Collectors.joining(" | "));
        }
      }
      return "Any";
    }
    return switch (t) {
      case "string" -> "str";
      case "integer" -> "int";
      case "number" -> "float";
      case "boolean" -> "bool";
      case "null" -> "None";
      case "array" ->
          spec.get("items") instanceof Map<?, ?> items
              ? "list[" + pythonType(map(items)) + "]"
              : "list";
      case "object" -> "dict";
      default -> "Any";
    };
  }

  /** A Python literal for a JSON value. */
  static String literal(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Number) {
      return value.toString();
    }
    if (value instanceof String s) {
      return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
    if (value instanceof List<?> list) {
      return "[" + list.stream().map(McpTool::literal).collect(Collectors.joining(", ")) + "]";
    }
    if (value instanceof Map<?, ?> m) {
      return "{"
          + m.entrySet().stream()
              .map(e -> literal(String.valueOf(e.getKey())) + ": " + literal(e.getValue()))
              .collect(Collectors.joining(", "))
          + "}";
    }
    return literal(value.toString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
