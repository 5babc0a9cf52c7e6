package dev.codepilot.tools;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds tool definitions.
 *
 * <pre>{@code
 * ToolDefinition search = Tools.builder("web_search")
 *     .description("Search the web and return a summary of what was found.")
 *     .param("query", PyType.STR)
 *     .optionalParam("limit", PyType.INT, 5)
 *     .handler(call -> searchApi(call.string("query")))
 *     .build();
 * }</pre>
 */
public final class Tools {

  private Tools() {
  }

  /** Starts a tool definition with the given name. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link ToolDefinition}. Not thread-safe. */
  public static final class Builder {

    private final String name;
    private String description = "";
    private final List<ToolParameter> parameters = new ArrayList<>();
    private ToolHandler handler;
    private boolean consumesPayload;

    private Builder(String name) {
      this.name = PythonNames.requireToolName(name);
    }

    /** What the tool does and when to use it; shown to the model. */
    public Builder description(String text) {
      this.description = Objects.requireNonNull(text, "text").strip();
      return this;
    }

    /** Adds a required parameter. */
    public Builder param(String paramName, PyType type) {
      return add(ToolParameter.required(paramName, type));
    }

    /** Adds an optional parameter with its default (null for None). */
    public Builder optionalParam(String paramName, PyType type, Object defaultValue) {
      return add(ToolParameter.optional(paramName, type, defaultValue));
    }

    /** Makes each call take the next payload block, as {@code write_file} does. */
    public Builder consumesPayload() {
      this.consumesPayload = true;
      return this;
    }

    /** The tool's body. */
    public Builder handler(ToolHandler body) {
      this.handler = Objects.requireNonNull(body, "body");
      return this;
    }

    private Builder add(ToolParameter parameter) {
      if (parameter.required() && parameters.stream().anyMatch(p -> !p.required())) {
        throw new IllegalArgumentException("required parameter '" + parameter.name()
            + "' must come before the optional ones");
      }
      parameters.add(parameter);
      return this;
    }

    /** The finished definition. */
    public ToolDefinition build() {
      if (handler == null) {
        throw new IllegalStateException("tool '" + name + "' has no handler");
      }
      Set<String> seen = new HashSet<>();
      for (ToolParameter p : parameters) {
        if (!seen.add(p.name())) {
          throw new IllegalArgumentException("tool '" + name + "' has two parameters named '"
              + p.name() + "'");
        }
      }
      return new BuiltTool(name, description, List.copyOf(parameters), handler, consumesPayload);
    }
  }

  private record BuiltTool(String name, String description, List<ToolParameter> parameters,
      ToolHandler handler, boolean consumesPayload) implements ToolDefinition {

    @Override
    public Object invoke(ToolInvocation invocation) throws Exception {
      return handler.handle(invocation);
    }
  }
}
