package dev.codepilot.tools;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One call of a tool from a control block: the arguments the block passed, the payload block it
 * took (for tools that {@linkplain ToolDefinition#consumesPayload() consume payloads}), and the
 * {@link ToolContext}.
 *
 * <p>The typed getters apply the parameter's default when the block left it out, and throw a {@link
 * ToolException} of type {@code TypeError} naming the tool and the parameter when a value has the
 * wrong type.
 */
public final class ToolInvocation {

  private final ToolDefinition tool;
  private final Map<String, Object> args;
  private final String payload;
  private final ToolContext context;

  /**
   * A call of {@code tool}; the runtime creates these, and a tool may create one to test itself.
   *
   * @param tool the tool being called
   * @param args the arguments passed, by parameter name (copied; defaults not included)
   * @param payload the payload block the call took, if any
   * @param context the context the tool runs in
   */
  public ToolInvocation(
      ToolDefinition tool,
      Map<String, Object> args,
      Optional<String> payload,
      ToolContext context) {
    this.tool = Objects.requireNonNull(tool, "tool");
    this.args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
    this.payload = payload.orElse(null);
    this.context = Objects.requireNonNull(context, "context");
  }

  /** The tool being called. */
  public ToolDefinition tool() {
    return tool;
  }

  /** The arguments the block passed, by parameter name, without defaults. */
  public Map<String, Object> args() {
    return args;
  }

  /** The payload block taken by this call, when the tool consumes payloads and one was left. */
  public Optional<String> payload() {
    return Optional.ofNullable(payload);
  }

  /** The context the tool runs in. */
  public ToolContext context() {
    return context;
  }

  /**
   * Runs another tool as this call, with this call's arguments, payload and context: for a tool
   * that wraps another one, such as a replacement of {@code run_command} that checks the command
   * and then hands it to the built-in. The arguments must be parameters of {@code target}.
   */
  public Object delegate(ToolDefinition target) throws Exception {
    return delegate(target, args);
  }

  /** Runs another tool as this call, with these arguments and this call's payload and context. */
  public Object delegate(ToolDefinition target, Map<String, Object> arguments) throws Exception {
    Objects.requireNonNull(target, "target");
    for (String name : arguments.keySet()) {
      if (target.parameters().stream().noneMatch(p -> p.name().equals(name))) {
        throw ToolException.typeError(
            target.name() + "() got an unexpected keyword argument '" + name + "'");
      }
    }
    for (ToolParameter p : target.parameters()) {
      if (p.required() && !arguments.containsKey(p.name())) {
        throw ToolException.typeError(
            target.name() + "() missing required argument: '" + p.name() + "'");
      }
    }
    return target.invoke(new ToolInvocation(target, arguments, payload(), context));
  }

  /** True when the block passed this argument (even as None). */
  public boolean has(String name) {
    return args.containsKey(name);
  }

  /** The argument, or the parameter's default; null stands for None. */
  public Object get(String name) {
    if (args.containsKey(name)) {
      return args.get(name);
    }
    return parameter(name).defaultValue();
  }

  /** A str argument; TypeError when it is missing or not a str. */
  public String string(String name) throws ToolException {
    Object value = get(name);
    if (value instanceof String s) {
      return s;
    }
    throw wrongType(name, "str", value);
  }

  /** A str argument that may be None. */
  public Optional<String> optionalString(String name) throws ToolException {
    Object value = get(name);
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(string(name));
  }

  /** An int argument that may be None; bools are refused, whole floats accepted. */
  public Optional<Long> optionalInteger(String name) throws ToolException {
    Object value = get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return Optional.of(((Number) value).longValue());
    }
    if (value instanceof java.math.BigInteger big) {
      if (big.bitLength() < 63) {
        return Optional.of(big.longValue());
      }
      throw ToolException.valueError(tool.name() + "(): " + name + " is too large");
    }
    if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return Optional.of(d.longValue());
    }
    throw wrongType(name, "int", value);
  }

  /** A number (int or float) argument that may be None. */
  public Optional<Double> optionalNumber(String name) throws ToolException {
    Object value = get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Number n && !(value instanceof Boolean)) {
      return Optional.of(n.doubleValue());
    }
    throw wrongType(name, "float", value);
  }

  /** A bool argument; None counts as false. */
  public boolean bool(String name) throws ToolException {
    Object value = get(name);
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw wrongType(name, "bool", value);
  }

  private ToolParameter parameter(String name) {
    return tool.parameters().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "tool " + tool.name() + " has no parameter '" + name + "'"));
  }

  private ToolException wrongType(String name, String expected, Object value) {
    return ToolException.typeError(
        tool.name() + "(): " + name + " must be " + expected + ", not " + pythonTypeName(value));
  }

  /** The Python type name of a value that came from the sandbox. */
  static String pythonTypeName(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof String) {
      return "str";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof java.math.BigInteger) {
      return "int";
    }
    if (value instanceof Number) {
      return "float";
    }
    if (value instanceof List) {
      return "list";
    }
    if (value instanceof Map) {
      return "dict";
    }
    return value.getClass().getSimpleName();
  }
}
