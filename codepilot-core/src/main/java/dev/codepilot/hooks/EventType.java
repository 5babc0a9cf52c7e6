package dev.codepilot.hooks;

import java.util.Locale;

/** The kinds of {@link Event} a runtime fires, one constant per event record. */
public enum EventType {
  START,
  STEP,
  THINK,
  TOOL_CALL,
  TOOL_RESULT,
  ASK_USER,
  PERMISSION_REQUEST,
  SECURITY_ERROR,
  RUNTIME_ERROR,
  FINISH,
  MAX_STEPS,
  USER_MESSAGE_QUEUED,
  USER_MESSAGE_INJECTED,
  SESSION_RESET;

  /** The name used in JSON: the constant in lower case, for example {@code "tool_call"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
