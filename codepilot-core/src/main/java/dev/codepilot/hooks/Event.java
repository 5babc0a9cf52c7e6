package dev.codepilot.hooks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened in a runtime. Each record carries exactly the keyword arguments of the
 * reference's event table; {@link #type()} names its {@link EventType}.
 *
 * <pre>{@code
 * switch (event) {
 *   case Event.Think t -> System.out.println(t.message());
 *   case Event.ToolCall c -> System.out.println(c.tool() + " " + c.args());
 *   default -> { }
 * }
 * }</pre>
 */
public sealed interface Event {

  /** The event's type. */
  EventType type();

  /** The event's keyword arguments by their wire names, in table order. */
  Map<String, Object> fields();

  /** {@code run(task)} was called. */
  record Start(String task) implements Event {
    /** Checks that no component is null. */
    public Start {
      Objects.requireNonNull(task, "task");
    }

    @Override
    public EventType type() {
      return EventType.START;
    }

    @Override
    public Map<String, Object> fields() {
      return Map.of("task", task);
    }
  }

  /** A step begins; {@code step} counts from 1 within the run. */
  record Step(int step, int maxSteps) implements Event {
    @Override
    public EventType type() {
      return EventType.STEP;
    }

    @Override
    public Map<String, Object> fields() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("step", step);
      fields.put("max_steps", maxSteps);
      return fields;
    }
  }

  /** The agent called {@code think(message)}. */
  record Think(String message) implements Event {
    /** Checks that no component is null. */
    public Think {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public EventType type() {
      return EventType.THINK;
    }

    @Override
    public Map<String, Object> fields() {
      return Map.of("message", message);
    }
  }

  /**
   * A tool is about to run.
   *
   * @param args the arguments the block passed, by parameter name (defaults not included)
   */
  record ToolCall(String tool, Map<String, Object> args) implements Event {
    /** Checks that no component is null. */
    public ToolCall {
      Objects.requireNonNull(tool, "tool");
      args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    @Override
    public EventType type() {
      return EventType.TOOL_CALL;
    }

    @Override
    public Map<String, Object> fields() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("tool", tool);
      fields.put("args", args);
      return fields;
    }
  }

  /** A tool returned (or was denied, or failed); {@code result} is the text the model sees. */
  record ToolResult(String tool, String result) implements Event {
    /** Checks that no component is null. */
    public ToolResult {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(result, "result");
    }

    @Override
    public EventType type() {
      return EventType.TOOL_RESULT;
    }

    @Override
    public Map<String, Object> fields() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("tool", tool);
      fields.put("result", result);
      return fields;
    }
  }

  /** The agent called {@code ask_user(question)}; the answer comes from the ask-user handler. */
  record AskUser(String question) implements Event {
    /** Checks that no component is null. */
    public AskUser {
      Objects.requireNonNull(question, "question");
    }

    @Override
    public EventType type() {
      return EventType.ASK_USER;
    }

    @Override
    public Map<String, Object> fields() {
      return Map.of("question", question);
    }
  }

  /**
   * A tool with {@code require_permission: true} wants to run. A handler returning {@code
   * Boolean.TRUE} approves it.
   */
  record PermissionRequest(String tool, String description) implements Event {
    /** Checks that no component is null. */
    public PermissionRequest {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(description, "description");
    }

    @Override
    public EventType type() {
      return EventType.PERMISSION_REQUEST;
    }

    @Override
    public Map<String, Object> fields() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("tool", tool);
      fields.put("description", description);
      return fields;
    }
  }

  /** The policy check rejected a control block; nothing of it ran. */
  record SecurityError(String error) implements Event {
    /** Checks that no component is null. */
    public SecurityError {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public EventType type() {
      return EventType.SECURITY_ERROR;
    }

    @Override
    public Map<String, Object> fields() {
      return Map.of("error", error);
    }
  }

  /** A control block raised, timed out, or the model failed. */
  record RuntimeError(String error) implements Event {
    /** Checks that no component is null. */
    public RuntimeError {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public EventType type() {
      return EventType.RUNTIME_ERROR;
    }

    @Override
    public Map<String, Object> fields() {
      return Map.of("error", error);
    }
  }

  /**
   * The agent called {@code done(summary)}.
   *
   * @param summary what the agent passed to {@code done}
   * @param inputTokens prompt tokens the run's model calls used, as the provider reported them
   *     (cached ones included); 0 when not reported
   * @param savedInputTokens an estimate of the prompt tokens the context view kept out of the run's
   *     requests, against sending every message in full
   */
  record Finish(String summary, long inputTokens, long savedInputTokens) implements Event {
    /** Checks that no component is null. */
    public Finish {
      Objects.requireNonNull(summary, "summary");
    }

    /** A finish with no token counts. */
    public Finish(String summary) {
      this(summary, 0, 0);
    }

    @Override
    public EventType type() {
      return EventType.FINISH;
    }

    @Override
    public Map<String, Object> fields() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("summary", summary);
      fields.put("input_tokens", inputTokens);
      fields.put("saved_input_tokens", savedInputTokens);
      return fields;
    }
  }

  /**
   * An event of a sub-agent (agent files' {@code agents:}), passed on to the parent's hooks. {@code
   * agent} names it, with the names of nested sub-agents joined by {@code /} ({@code
   * researcher/fetcher}); {@code event} is the sub-agent's own event, never itself a {@code
   * SubAgent}. Its JSON is the inner event's with {@code "agent"} added: {@code
   * {"event":"tool_call","agent":"researcher","tool":"read_file",...}}. Handlers of {@code
   * Event.ToolCall.class} and the like see only the agent's own events; subscribe to {@code
   * Event.SubAgent.class} (or {@code Event.class}) for those of its sub-agents.
   */
  record SubAgent(String agent, Event event) implements Event {
    /** Checks that no component is null and that {@code event} is not nested. */
    public SubAgent {
      Objects.requireNonNull(agent, "agent");
      Objects.requireNonNull(event, "event");
      if (event instanceof SubAgent) {
        throw new IllegalArgumentException("join the agents' names instead of nesting events");
      }
    }

    /** This event as seen one level up, from the agent that called {@code parent}. */
    public SubAgent under(String parent) {
      return new SubAgent(parent + "/" + agent, event);
    }

    @Override
    public EventType type() {
      return EventType.SUB_AGENT;
    }

    @Override
    public Map<String, Object> fields() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("agent", agent);
      fields.putAll(event.fields());
      return fields;
    }
  }

  /**
   * Older steps of the history were replaced by a summary in what requests carry, because the
   * request had grown past {@code summarize_at} of the model's window. Token counts are estimates
   * of the request before and after.
   */
  record ContextCondensed(long beforeTokens, long afterTokens) implements Event {
    @Override
    public EventType type() {
      return EventType.CONTEXT_CONDENSED;
    }

    @Override
    public Map<String, Object> fields() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("before_tokens", beforeTokens);
      fields.put("after_tokens", afterTokens);
      return fields;
    }
  }

  /** The run stopped because it reached {@code max_steps}. */
  record MaxSteps() implements Event {
    @Override
    public EventType type() {
      return EventType.MAX_STEPS;
    }

    @Override
    public Map<String, Object> fields() {
      return Map.of();
    }
  }

  /** {@code sendMessage(message)} was called; the message waits for the next step. */
  record UserMessageQueued(String message) implements Event {
    /** Checks that no component is null. */
    public UserMessageQueued {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public EventType type() {
      return EventType.USER_MESSAGE_QUEUED;
    }

    @Override
    public Map<String, Object> fields() {
      return Map.of("message", message);
    }
  }

  /** A queued message entered the model's context. */
  record UserMessageInjected(String message) implements Event {
    /** Checks that no component is null. */
    public UserMessageInjected {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public EventType type() {
      return EventType.USER_MESSAGE_INJECTED;
    }

    @Override
    public Map<String, Object> fields() {
      return Map.of("message", message);
    }
  }

  /** {@code reset()} was called. */
  record SessionReset() implements Event {
    @Override
    public EventType type() {
      return EventType.SESSION_RESET;
    }

    @Override
    public Map<String, Object> fields() {
      return Map.of();
    }
  }
}
