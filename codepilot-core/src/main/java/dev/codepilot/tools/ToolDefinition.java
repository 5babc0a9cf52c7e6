package dev.codepilot.tools;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A host function the model can call from a control block. The runtime turns it into a Python
 * function with the same name and parameters; its description goes into the system prompt.
 *
 * <p>Build one with {@link Tools#builder(String)}, or annotate methods with {@link Tool} and turn
 * the object into definitions with {@link Tools#fromObject(Object)}.
 *
 * <p>A definition's name, description, parameters and signature are fixed: the runtime renders them
 * into the prompt and the sandbox once and reuses that while the same definitions are on offer. To
 * change them, register a new definition under the same name.
 */
public interface ToolDefinition {

  /** The name the model calls; a Python identifier starting with a letter. */
  String name();

  /** What the tool does and when to use it; the first paragraph is shown to the model. */
  String description();

  /** The parameters in signature order. */
  List<ToolParameter> parameters();

  /**
   * Runs the tool. The returned value goes back to the Python code (strings, numbers, booleans,
   * null, lists and maps of those; other objects are converted to JSON-like data) and, unless it is
   * null, into the step's execution result. Return a {@link ToolOutput} to show the model a
   * different text from the value.
   *
   * @throws ToolException for a failure the block should see as a Python exception of a given type
   * @throws Exception any other failure becomes a Python {@code RuntimeError}
   */
  Object invoke(ToolInvocation invocation) throws Exception;

  /**
   * True when each call takes the next payload block of the reply (as {@code write_file} does). The
   * payload is taken before permission is asked, so a denied call never shifts later payloads onto
   * the wrong call.
   */
  default boolean consumesPayload() {
    return false;
  }

  /**
   * True when every call must be approved through PERMISSION_REQUEST whatever the agent file's
   * {@code tools:} entry says, as for an MCP server with {@code require_permission: true}.
   */
  default boolean requiresPermission() {
    return false;
  }

  /** The one-line description shown in a permission request for this call. */
  default String describe(ToolInvocation invocation) {
    return "Call "
        + name()
        + "("
        + invocation.args().entrySet().stream()
            .map(e -> e.getKey() + "=" + PythonNames.literal(e.getValue()))
            .collect(Collectors.joining(", "))
        + ")";
  }

  /** The Python signature shown to the model, for example {@code read_file(path: str) -> str}. */
  default String signature() {
    return name()
        + "("
        + parameters().stream().map(ToolParameter::signature).collect(Collectors.joining(", "))
        + ")";
  }
}
