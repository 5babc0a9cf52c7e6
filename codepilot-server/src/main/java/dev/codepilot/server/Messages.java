package dev.codepilot.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventJson;
import dev.codepilot.internal.Json;
import java.util.Locale;

/**
 * The WebSocket messages. Hook events are rendered by {@link EventJson}, exactly as {@code
 * codepilot run --json} prints them; the few messages the server adds have the same shape, {@code
 * {"event": "<name>", ...}}.
 */
final class Messages {

  private Messages() {}

  static String event(Event event) {
    return EventJson.toLine(event);
  }

  /** A piece of the model's reply, as it streams in. */
  static String modelText(String text) {
    ObjectNode node = node("model_text");
    node.put("text", text);
    return node.toString();
  }

  /** How a run ended. */
  static String runEnd(RunResult result) {
    ObjectNode node = node("run_end");
    node.setAll(runResult(result));
    return node.toString();
  }

  /** A permission request was decided: by the user, by the answer timeout, or by an abort. */
  static String permissionResolved(String tool, boolean approved, String by) {
    ObjectNode node = node("permission_resolved");
    node.put("tool", tool);
    node.put("approved", approved);
    node.put("by", by);
    return node.toString();
  }

  /** An ask_user question got its answer: from the user, or "" by timeout or abort. */
  static String questionAnswered(String answer, String by) {
    ObjectNode node = node("question_answered");
    node.put("answer", answer);
    node.put("by", by);
    return node.toString();
  }

  /**
   * The first message on every connection: from here on, the client misses nothing. Whether a run
   * is in progress tells it whether a replay of that run follows.
   */
  static String connected(String sessionId, boolean running) {
    ObjectNode node = node("connected");
    node.put("session_id", sessionId);
    node.put("running", running);
    return node.toString();
  }

  /** {@code count} messages were not delivered to this client at this point of the stream. */
  static String eventsDropped(long count) {
    ObjectNode node = node("events_dropped");
    node.put("count", count);
    return node.toString();
  }

  /** A run result as a JSON object without the event name. */
  static ObjectNode runResult(RunResult result) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
    node.put("summary", result.summary().orElse(null));
    node.put("steps", result.steps());
    node.put("error", result.error().orElse(null));
    node.put("duration_ms", result.duration().toMillis());
    return node;
  }

  private static ObjectNode node(String event) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("event", event);
    return node;
  }
}
