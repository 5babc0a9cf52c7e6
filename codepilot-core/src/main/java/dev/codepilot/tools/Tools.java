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

  private Tools() {}

  /**
   * The tools defined by the public {@link Tool}-annotated methods of an object (static ones
   * included), sorted by name.
   *
   * <ul>
   *   <li>Name: {@link Tool#name()}, else the method name in snake case ({@code webSearch} → {@code
   *       web_search}). Description: {@link Tool#value()}.
   *   <li>Parameters: named by {@link Param#value()}, else by the compiled name in snake case (the
   *       build must use {@code -parameters}); typed with {@link PyType#of(Class)}; optional with
   *       {@code @Param(optional = true, defaultValue = "<json>")}. A primitive cannot be None, so
   *       an optional one needs a default. Parameters of type {@link ToolInvocation} or {@link
   *       ToolContext} are injected and not shown to the model; use them to read the payload or
   *       call {@link ToolContext#appendExecution}.
   *   <li>Arguments are converted to the declared types: {@code String}; {@code int}, {@code long},
   *       {@code short} and boxes, {@code BigInteger} (bools refused, whole floats accepted);
   *       {@code double}, {@code float} and boxes; {@code boolean}; enums (by name); {@code List},
   *       arrays and {@code Map} (element types included); records and beans from a dict; {@code
   *       Object} as it came. A value that does not fit raises {@code TypeError} in Python naming
   *       the tool and the parameter.
   *   <li>Return values go back to Python as data: strings, numbers, booleans, null (None), lists,
   *       maps, records and beans (as dicts), {@code Optional} (unwrapped); a {@code void} method
   *       returns None; a {@link ToolOutput} shows the model a different text than the value.
   *   <li>A {@link ToolException} thrown by the method reaches Python as its Python type; any other
   *       exception as {@code RuntimeError}; the block may catch either.
   * </ul>
   *
   * @throws IllegalArgumentException when the object has no {@code @Tool} methods, or one of them
   *     cannot be a tool (bad name, duplicate name, unreadable parameter names, a required
   *     parameter after an optional one, a default that does not fit its type)
   */
  public static List<ToolDefinition> fromObject(Object tools) {
    return AnnotatedTools.from(tools);
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
        throw new IllegalArgumentException(
            "required parameter '" + parameter.name() + "' must come before the optional ones");
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
          throw new IllegalArgumentException(
              "tool '" + name + "' has two parameters named '" + p.name() + "'");
        }
      }
      return new BuiltTool(name, description, List.copyOf(parameters), handler, consumesPayload);
    }
  }

  private record BuiltTool(
      String name,
      String description,
      List<ToolParameter> parameters,
      ToolHandler handler,
      boolean consumesPayload)
      implements ToolDefinition {

    @Override
    public Object invoke(ToolInvocation invocation) throws Exception {
      return handler.handle(invocation);
    }
  }
}
