package dev.codepilot.tools;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.hooks.Event;
import dev.codepilot.internal.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the tool calls of one control block. Every call from the sandbox arrives as a tool name
 * and a JSON object of arguments and leaves as a JSON result, so no object crosses between the
 * sandbox and the host: the host treats each call as untrusted input.
 *
 * <p>For each call, in order: the arguments are checked against the tool's parameters; the
 * next payload is taken when the tool consumes payloads; TOOL_CALL fires; a tool with
 * {@code require_permission} asks through PERMISSION_REQUEST and, if denied, returns a
 * "permission denied" text instead of running; the tool runs; its text joins the execution
 * result; TOOL_RESULT fires.
 */
public final class ToolDispatcher {

  private static final TypeReference<LinkedHashMap<String, Object>> ARGS = new TypeReference<>() { };

  private final ToolRegistry registry;
  private final ToolContext context;
  private final Iterator<String> payloads;

  /**
   * @param registry the tools on offer
   * @param context  the step's context
   * @param payloads the reply's payload blocks, consumed in order by payload-taking calls
   */
  public ToolDispatcher(ToolRegistry registry, ToolContext context, Iterator<String> payloads) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.context = Objects.requireNonNull(context, "context");
    this.payloads = Objects.requireNonNull(payloads, "payloads");
  }

  /**
   * Handles one call. Never throws: failures come back as
   * {@code {"ok": false, "type": "<Python exception>", "message": "..."}}, results as
   * {@code {"ok": true, "value": ...}}.
   */
  public String dispatch(String toolName, String argsJson) {
    ToolDefinition tool = registry.get(toolName).orElse(null);
    if (tool == null || !context.toolConfig(toolName).enabled()) {
      return error("NameError", "tool '" + toolName + "' is not available");
    }
    Map<String, Object> args;
    try {
      args = parseArgs(tool, argsJson);
    } catch (ToolException e) {
      return error(e.pythonType(), e.getMessage());
    }
    Optional<String> payload = tool.consumesPayload() && payloads.hasNext()
        ? Optional.of(payloads.next()) : Optional.empty();
    ToolInvocation invocation = new ToolInvocation(tool, args, payload, context);
    if (tool instanceof ControlTool) {
      return runControl(tool, invocation);
    }
    context.emit(new Event.ToolCall(tool.name(), args));
    if (context.toolConfig(tool.name()).requirePermission()) {
      String description = tool.describe(invocation);
      Object decision = context.emit(new Event.PermissionRequest(tool.name(), description));
      if (!Boolean.TRUE.equals(decision)) {
        String text = "[" + tool.name() + "] Permission denied: " + description
            + " was not approved by the user.";
        context.appendExecution(text);
        context.emit(new Event.ToolResult(tool.name(), text));
        return ok(text);
      }
    }
    Object value;
    try {
      value = tool.invoke(invocation);
    } catch (ToolException e) {
      context.emit(new Event.ToolResult(tool.name(), e.pythonType() + ": " + e.getMessage()));
      return error(e.pythonType(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error("RuntimeError", "tool '" + tool.name() + "' was interrupted");
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Exception | Error e) {
      String message = "tool '" + tool.name() + "' failed: " + describe(e);
      context.emit(new Event.ToolResult(tool.name(), "RuntimeError: " + message));
      return error("RuntimeError", message);
    }
    Object pythonValue = value instanceof ToolOutput out ? out.value() : value;
    String text = value instanceof ToolOutput out ? out.text() : textOf(value);
    if (text != null && !text.isEmpty()) {
      context.appendExecution(text);
    }
    context.emit(new Event.ToolResult(tool.name(), text == null ? "None" : text));
    return ok(pythonValue);
  }

  private String runControl(ToolDefinition tool, ToolInvocation invocation) {
    try {
      tool.invoke(invocation);
      return ok(null);
    } catch (ToolException e) {
      return error(e.pythonType(), e.getMessage());
    } catch (Exception e) {
      return error("RuntimeError", tool.name() + "() failed: " + describe(e));
    }
  }

  private static Map<String, Object> parseArgs(ToolDefinition tool, String argsJson)
      throws ToolException {
    Map<String, Object> args;
    try {
      args = Json.mapper().readValue(argsJson, ARGS);
    } catch (Exception e) {
      throw ToolException.typeError(tool.name() + "(): arguments must be plain data"
          + " (str, int, float, bool, None, list, dict)");
    }
    if (args == null) {
      throw ToolException.typeError(tool.name() + "(): arguments must be a mapping");
    }
    for (String name : args.keySet()) {
      if (tool.parameters().stream().noneMatch(p -> p.name().equals(name))) {
        throw ToolException.typeError(tool.name() + "() got an unexpected keyword argument '"
            + name + "'");
      }
    }
    for (ToolParameter p : tool.parameters()) {
      if (p.required() && !args.containsKey(p.name())) {
        throw ToolException.typeError(tool.name() + "() missing required argument: '"
            + p.name() + "'");
      }
    }
    return args;
  }

  private static String textOf(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    return Json.write(toJson(value));
  }

  private static JsonNode toJson(Object value) {
    try {
      return Json.mapper().valueToTree(value);
    } catch (IllegalArgumentException e) {
      return Json.mapper().getNodeFactory().textNode(String.valueOf(value));
    }
  }

  private static String ok(Object value) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("ok", true);
    node.set("value", toJson(value));
    return node.toString();
  }

  private static String error(String type, String message) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("ok", false);
    node.put("type", type);
    node.put("message", message);
    return node.toString();
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
