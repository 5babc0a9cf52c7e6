package dev.codepilot.hooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.internal.Json;
import dev.codepilot.internal.TerminalText;
import java.util.Map;

/**
 * The one way an event is written as JSON: {@code {"event": "<type in lower case>", ...its keyword
 * arguments}}. The CLI's {@code --json} lines and the server's WebSocket messages both come from
 * here.
 */
public final class EventJson {

  private EventJson() {}

  /** The event as a JSON object node. */
  public static ObjectNode toNode(Event event) {
    ObjectNode node = Json.mapper().createObjectNode();
    // A sub-agent's event is written as the event it carries, with "agent" added.
    EventType type = event instanceof Event.SubAgent sub ? sub.event().type() : event.type();
    node.put("event", type.wireName());
    for (Map.Entry<String, Object> field : event.fields().entrySet()) {
      node.set(field.getKey(), Json.mapper().valueToTree(field.getValue()));
    }
    return node;
  }

  /**
   * The event as one line of compact JSON, without the line break. Characters that could drive or
   * disguise a terminal are written as escapes ({@link TerminalText#json}), so the line can be
   * printed as it is.
   */
  public static String toLine(Event event) {
    return TerminalText.json(toNode(event));
  }
}
