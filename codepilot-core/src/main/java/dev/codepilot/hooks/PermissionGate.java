package dev.codepilot.hooks;

/**
 * Decides whether a tool with {@code require_permission: true} may run. A runtime has at most one
 * gate; with none, every request is denied. A denied tool does not run and the block goes on: the
 * call returns a "permission denied" result.
 *
 * <p>The {@link Event.PermissionRequest} is fired to the hooks first, so observers see every
 * request, approved or not; then the gate decides. A gate that throws denies (the failure is
 * reported like a handler's). The gate runs on the agent's thread and the step waits for it, so it
 * may ask a person.
 *
 * <pre>{@code
 * AgentRuntime runtime = AgentRuntime.builder(Path.of("agent.yaml"))
 *     .permissionGate(request -> request.tool().equals("write_file"))
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface PermissionGate {

  /** True to let the tool run, false to deny it. */
  boolean allow(Event.PermissionRequest request);

  /** A gate that approves every request. */
  static PermissionGate allowAll() {
    return request -> true;
  }

  /** A gate that denies every request, as having no gate does. */
  static PermissionGate denyAll() {
    return request -> false;
  }
}
