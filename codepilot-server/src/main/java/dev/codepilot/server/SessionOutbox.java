package dev.codepilot.server;

import dev.codepilot.session.SessionStore;
import java.util.Optional;

/**
 * Where a session's messages go: to its WebSocket clients on this server ({@link EventHub}) and,
 * with a shared session store, to the clients of the other servers sharing it.
 */
final class SessionOutbox {

  private final String id;
  private final EventHub hub;
  private final Optional<SessionStore> store;

  SessionOutbox(String id, EventHub hub, Optional<SessionStore> store) {
    this.id = id;
    this.hub = hub;
    this.store = store;
  }

  /** Sends a message to this session's clients here and on the servers sharing the store. */
  void broadcast(String message) {
    hub.publish(message);
    share(message);
  }

  /** A piece of the model's reply, as it streams in. */
  void modelText(String text) {
    hub.publishModelText(text);
    share(Messages.modelText(text));
  }

  /** The run's last message, after which the hub keeps nothing of it for late joiners. */
  void endRun(String end) {
    hub.endRun(end);
    share(end);
  }

  /** Sends a message to the clients of the servers sharing the store, if there is one. */
  private void share(String message) {
    if (store.isPresent() && !store.get().publishEvent(id, message)) {
      store.get().publishEvent(id, Messages.eventsDropped(1));
    }
  }
}
