package dev.codepilot.hooks;

/**
 * Receives events of the types it was registered for, and may return a value.
 *
 * @deprecated subscribe with {@link HookSystem#on(Class, java.util.function.Consumer)}, which
 *     passes the event's own record type and returns nothing, and decide permission requests with a
 *     {@link PermissionGate}. For {@link EventType#PERMISSION_REQUEST} a value returned here still
 *     decides before the gate (only {@code Boolean.TRUE} approves); {@code null} leaves the
 *     decision to the gate.
 */
@Deprecated(since = "0.1.0")
@FunctionalInterface
public interface EventHandler {

  /** Handles one event. Exceptions are reported and swallowed; they never stop a run. */
  Object handle(Event event);
}
