package dev.codepilot.hooks;

import java.util.Locale;

/** The kinds of {@link Event} a runtime fires, one constant per event record. */
public enum EventType {
  /** {@link Event.Start}: {@code run(task)} was called. */
  START,
  /** {@link Event.Step}: a step begins. */
  STEP,
  /** {@link Event.Think}: the agent called {@code think(message)}. */
  THINK,
  /** {@link Event.ToolCall}: a tool is about to run. */
  TOOL_CALL,
  /** {@link Event.ToolResult}: a tool returned, was denied, or failed. */
  TOOL_RESULT,
  /** {@link Event.AskUser}: the agent called {@code ask_user(question)}. */
  ASK_USER,
  /** {@link Event.PermissionRequest}: a tool with {@code require_permission} wants to run. */
  PERMISSION_REQUEST,
  /** {@link Event.SecurityError}: the policy check rejected a control block. */
  SECURITY_ERROR,
  /** {@link Event.RuntimeError}: a block raised or timed out, or the model failed. */
  RUNTIME_ERROR,
  /** {@link Event.Finish}: the agent called {@code done(summary)}. */
  FINISH,
  /** {@link Event.MaxSteps}: the run reached {@code max_steps}. */
  MAX_STEPS,
  /** {@link Event.UserMessageQueued}: {@code sendMessage} was called. */
  USER_MESSAGE_QUEUED,
  /** {@link Event.UserMessageInjected}: a queued message entered the context. */
  USER_MESSAGE_INJECTED,
  /** {@link Event.SessionReset}: {@code reset()} was called. */
  SESSION_RESET,
  /** {@link Event.ContextCondensed}: older steps were replaced by a summary. */
  CONTEXT_CONDENSED;

  /** The name used in JSON: the constant in lower case, for example {@code "tool_call"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
