package dev.codepilot.hooks;

import java.util.Locale;

/** The kinds of {@link Event} a runtime fires, one constant per event record. */
public enum EventType {
  /** {@link Event.Start}: {@code run(task)} was called. */
  START(Event.Start.class),
  /** {@link Event.Step}: a step begins. */
  STEP(Event.Step.class),
  /** {@link Event.Think}: the agent called {@code think(message)}. */
  THINK(Event.Think.class),
  /** {@link Event.ToolCall}: a tool is about to run. */
  TOOL_CALL(Event.ToolCall.class),
  /** {@link Event.ToolResult}: a tool returned, was denied, or failed. */
  TOOL_RESULT(Event.ToolResult.class),
  /** {@link Event.AskUser}: the agent called {@code ask_user(question)}. */
  ASK_USER(Event.AskUser.class),
  /** {@link Event.PermissionRequest}: a tool with {@code require_permission} wants to run. */
  PERMISSION_REQUEST(Event.PermissionRequest.class),
  /** {@link Event.SecurityError}: the policy check rejected a control block. */
  SECURITY_ERROR(Event.SecurityError.class),
  /** {@link Event.RuntimeError}: a block raised or timed out, or the model failed. */
  RUNTIME_ERROR(Event.RuntimeError.class),
  /** {@link Event.Finish}: the agent called {@code done(summary)}. */
  FINISH(Event.Finish.class),
  /** {@link Event.MaxSteps}: the run reached {@code max_steps}. */
  MAX_STEPS(Event.MaxSteps.class),
  /** {@link Event.UserMessageQueued}: {@code sendMessage} was called. */
  USER_MESSAGE_QUEUED(Event.UserMessageQueued.class),
  /** {@link Event.UserMessageInjected}: a queued message entered the context. */
  USER_MESSAGE_INJECTED(Event.UserMessageInjected.class),
  /** {@link Event.SessionReset}: {@code reset()} was called. */
  SESSION_RESET(Event.SessionReset.class),
  /** {@link Event.ContextCondensed}: older steps were replaced by a summary. */
  CONTEXT_CONDENSED(Event.ContextCondensed.class),
  /**
   * {@link Event.SubAgent}: an event of a sub-agent; its JSON carries the inner event's name and an
   * {@code "agent"} field.
   */
  SUB_AGENT(Event.SubAgent.class);

  private final Class<? extends Event> eventClass;

  EventType(Class<? extends Event> eventClass) {
    this.eventClass = eventClass;
  }

  /** The record class of the events of this type, for example {@code Event.ToolCall.class}. */
  public Class<? extends Event> eventClass() {
    return eventClass;
  }

  /**
   * The type of the events of a record class, for example {@code TOOL_CALL} for {@code
   * Event.ToolCall.class}.
   *
   * @throws IllegalArgumentException for {@code Event.class} itself, which is every type
   */
  public static EventType of(Class<? extends Event> eventClass) {
    for (EventType type : values()) {
      if (type.eventClass == eventClass) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        eventClass.getName()
            + " is not an event record class;"
            + " use one of Event's records, such as Event.ToolCall.class");
  }

  /** The name used in JSON: the constant in lower case, for example {@code "tool_call"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
