package dev.codepilot.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.RunResult;
import dev.codepilot.internal.Json;
import dev.codepilot.server.PendingInput.Kind;
import java.util.Optional;

/**
 * A session's state as {@code GET /api/sessions/{id}} shows it.
 *
 * @param id the session id
 * @param agent the agent's name
 * @param live whether its runtime is open on this server
 * @param running whether a run is in progress here
 * @param reportsHolder true with a shared store and no runtime here: then {@code running_elsewhere}
 *     says whether another server runs it
 * @param holder who runs it now on another server ({@code "host H (pid P) since T"})
 * @param messageCount the messages in its history
 * @param pending the permission request or question waiting for the browser
 * @param lastRun how the last run here ended
 */
record SessionStatus(
    String id,
    String agent,
    boolean live,
    boolean running,
    boolean reportsHolder,
    Optional<String> holder,
    int messageCount,
    Optional<PendingInput> pending,
    Optional<RunResult> lastRun) {

  ObjectNode toJson() {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("id", id);
    node.put("agent", agent);
    node.put("live", live);
    node.put("running", running);
    if (reportsHolder) {
      if (holder.isPresent()) {
        node.put("running_elsewhere", holder.get());
      } else {
        node.putNull("running_elsewhere");
      }
    }
    node.put("message_count", messageCount);
    if (pending.isEmpty()) {
      node.putNull("pending");
    } else {
      PendingInput input = pending.get();
      ObjectNode p = node.putObject("pending");
      p.put("id", input.id());
      p.put("kind", input.kind().wireName());
      p.put("tool", input.tool());
      p.put(input.kind() == Kind.PERMISSION ? "description" : "question", input.text());
    }
    if (lastRun.isEmpty()) {
      node.putNull("last_run");
    } else {
      node.set("last_run", Messages.runResult(lastRun.get()));
    }
    return node;
  }
}
