package dev.codepilot.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.RunObserver;
import dev.codepilot.internal.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the tool calls of one control block. Every call from the sandbox arrives as a tool name and
 * arguments copied into plain Java data, and leaves as plain data or a Python exception to raise,
 * so no object crosses between the sandbox and the host: the host treats each call as untrusted
 * input.
 *
 * <p>For each call, in order: the next payload is taken when the tool consumes payloads (first, so
 * that neither a call with bad arguments nor a denied one shifts later payloads onto the wrong
 * call); the arguments are checked against the tool's parameters; TOOL_CALL fires; a tool with
 * {@code require_permission} fires PERMISSION_REQUEST and, unless the runtime's {@link
 * dev.codepilot.hooks.PermissionGate} approves, returns a "permission denied" text instead of
 * running; the tool runs; its text joins the execution result; TOOL_RESULT fires with everything
 * the call added to the execution result (or the Python exception it raised). {@code think} and
 * {@code done} fire their own events instead.
 */
public final class ToolDispatcher {

  private final ToolRegistry registry;
  private final ToolContext context;
  private final Iterator<String> payloads;
  private final RunObserver observer;

  /**
   * A dispatcher for the calls of one control block.
   *
   * @param registry the tools on offer
   * @param context the step's context
   * @param payloads the reply's payload blocks, consumed in order by payload-taking calls
   */
  public ToolDispatcher(ToolRegistry registry, ToolContext context, Iterator<String> payloads) {
    this(registry, context, payloads, RunObserver.NONE);
  }

  /**
   * A dispatcher for the calls of one control block that tells {@code observer} when each tool call
   * starts and ends.
   */
  public ToolDispatcher(
      ToolRegistry registry, ToolContext context, Iterator<String> payloads, RunObserver observer) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.context = Objects.requireNonNull(context, "context");
    this.payloads = Objects.requireNonNull(payloads, "payloads");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * Handles one call with the arguments the block passed, by parameter name (plain data: null,
   * String, Boolean, numbers, lists and maps). Never throws: a failure comes back as {@link
   * ToolReply.Raised}.
   */
  public ToolReply dispatch(String toolName, Map<String, Object> passed) {
    ToolDefinition tool = registry.get(toolName).orElse(null);
    if (tool == null || !ToolRegistry.isOffered(toolName, context.toolConfig(toolName))) {
      return error("NameError", "tool '" + toolName + "' is not available");
    }
    Optional<String> payload =
        tool.consumesPayload() && payloads.hasNext()
            ? Optional.of(payloads.next())
            : Optional.empty();
    Map<String, Object> args;
    try {
      args = checkArgs(tool, passed);
    } catch (ToolException e) {
      return error(e.pythonType(), e.getMessage());
    }
    CallContext callContext = new CallContext(context);
    ToolInvocation invocation = new ToolInvocation(tool, args, payload, callContext);
    if (tool instanceof ControlTool) {
      return runControl(tool, invocation);
    }
    context.emit(new Event.ToolCall(tool.name(), args));
    observer.toolCallStarted(tool.name(), args);
    boolean ended = false;
    try {
      ToolReply reply = invoke(tool, invocation, callContext);
      ended = true;
      return reply;
    } finally {
      if (!ended) {
        // Only a VirtualMachineError gets here; the observer still closes what it opened.
        observer.toolCallEnded(
            new RunObserver.ToolCallEnd(tool.name(), "", Optional.of("Error"), false));
      }
    }
  }

  private ToolReply invoke(
      ToolDefinition tool, ToolInvocation invocation, CallContext callContext) {
    if (tool.requiresPermission() || context.toolConfig(tool.name()).requirePermission()) {
      String description = describe(tool, invocation);
      if (!context.requestPermission(new Event.PermissionRequest(tool.name(), description))) {
        String text =
            "["
                + tool.name()
                + "] Permission denied: "
                + description
                + " was not approved by the user.";
        context.appendExecution(text);
        context.emit(new Event.ToolResult(tool.name(), text));
        observer.toolCallEnded(
            new RunObserver.ToolCallEnd(tool.name(), text, Optional.empty(), true));
        return ok(text);
      }
    }
    Object value;
    try {
      value = tool.invoke(invocation);
    } catch (ToolException e) {
      return failed(tool, callContext, e.pythonType(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(
          tool, callContext, "RuntimeError", "tool '" + tool.name() + "' was interrupted");
    } catch (StackOverflowError e) {
      return failed(
          tool,
          callContext,
          "RuntimeError",
          "tool '" + tool.name() + "' failed: it recursed too deeply (StackOverflowError)");
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Exception | Error e) {
      return failed(
          tool, callContext, "RuntimeError", "tool '" + tool.name() + "' failed: " + describe(e));
    }
    Object pythonValue;
    String text;
    try {
      pythonValue = plain(value instanceof ToolOutput out ? out.value() : value);
      text = value instanceof ToolOutput out ? out.text() : textOf(value);
    } catch (RuntimeException | StackOverflowError e) {
      // A result Jackson cannot walk (a cycle) or whose toString() fails.
      return failed(
          tool,
          callContext,
          "RuntimeError",
          "tool '"
              + tool.name()
              + "' returned a value that cannot be passed to Python: "
              + describe(e));
    }
    if (text != null && !text.isEmpty()) {
      context.appendExecution(text);
    }
    List<String> shown = new ArrayList<>(callContext.appended());
    if (text != null && !text.isEmpty()) {
      shown.add(text);
    }
    String result = shown.isEmpty() ? "None" : String.join("\n\n", shown);
    context.emit(new Event.ToolResult(tool.name(), result));
    observer.toolCallEnded(
        new RunObserver.ToolCallEnd(tool.name(), result, Optional.empty(), false));
    return new ToolReply.Returned(pythonValue);
  }

  /** Fires TOOL_RESULT for a failed call (what it added so far, then the exception); the reply. */
  private ToolReply failed(ToolDefinition tool, CallContext callContext, String type, String raw) {
    String message = context.workspace().scrub(raw);
    List<String> shown = new ArrayList<>(callContext.appended());
    shown.add(type + ": " + message);
    String result = String.join("\n\n", shown);
    context.emit(new Event.ToolResult(tool.name(), result));
    observer.toolCallEnded(
        new RunObserver.ToolCallEnd(tool.name(), result, Optional.of(type), false));
    return error(type, message);
  }

  /** The permission text for a call; a tool whose describe() fails gets the generic text. */
  private static String describe(ToolDefinition tool, ToolInvocation invocation) {
    try {
      String text = tool.describe(invocation);
      if (text != null && !text.isBlank()) {
        return text;
      }
    } catch (RuntimeException e) {
      // Fall through to the generic description below.
    }
    return "Call " + tool.name() + " with " + Json.write(invocation.args());
  }

  private ToolReply runControl(ToolDefinition tool, ToolInvocation invocation) {
    try {
      tool.invoke(invocation);
      return ok(null);
    } catch (ToolException e) {
      return error(e.pythonType(), e.getMessage());
    } catch (Exception e) {
      return error("RuntimeError", tool.name() + "() failed: " + describe(e));
    }
  }

  private static Map<String, Object> checkArgs(ToolDefinition tool, Map<String, Object> passed)
      throws ToolException {
    Map<String, Object> args = new LinkedHashMap<>(passed);
    for (String name : args.keySet()) {
      if (tool.parameters().stream().noneMatch(p -> p.name().equals(name))) {
        throw ToolException.typeError(
            tool.name() + "() got an unexpected keyword argument '" + name + "'");
      }
    }
    for (ToolParameter p : tool.parameters()) {
      if (p.required() && !args.containsKey(p.name())) {
        throw ToolException.typeError(
            tool.name() + "() missing required argument: '" + p.name() + "'");
      }
    }
    return args;
  }

  private static String textOf(Object value) {
    if (value instanceof Optional<?> optional) {
      return textOf(optional.orElse(null));
    }
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof java.nio.file.Path path) {
      return path.toString();
    }
    return Json.write(toJson(value));
  }

  private static JsonNode toJson(Object value) {
    if (value instanceof Optional<?> optional) {
      return toJson(optional.orElse(null));
    }
    if (value instanceof java.nio.file.Path path) {
      return Json.mapper().getNodeFactory().textNode(path.toString());
    }
    try {
      return Json.mapper().valueToTree(value);
    } catch (IllegalArgumentException e) {
      return Json.mapper().getNodeFactory().textNode(String.valueOf(value));
    }
  }

  private static ToolReply ok(Object value) {
    return new ToolReply.Returned(plain(value));
  }

  /** The exception the block sees; host paths of the workspace are made relative first. */
  private ToolReply error(String type, String message) {
    return new ToolReply.Raised(type, context.workspace().scrub(message));
  }

  /** Reduces a tool's result to the plain data the sandbox can hand to Python. */
  private static Object plain(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Double
        || value instanceof java.math.BigInteger) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    return Json.mapper().convertValue(toJson(value), Object.class);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
