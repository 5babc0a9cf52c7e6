package dev.codepilot.hooks;

/**
 * Receives events of the types it was registered for. A handler may return a value; for
 * {@link EventType#PERMISSION_REQUEST} a {@code Boolean} decides the request. Return
 * {@code null} to leave the decision to other handlers.
 */
@FunctionalInterface
public interface EventHandler {

  /** Handles one event. Exceptions are reported and swallowed; they never stop a run. */
  Object handle(Event event);
}
