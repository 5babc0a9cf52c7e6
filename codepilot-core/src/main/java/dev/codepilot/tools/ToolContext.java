package dev.codepilot.tools;

import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.hooks.Event;

/**
 * What a tool can use while it runs: the workspace, its configuration, the execution result, the
 * runtime's events, the user, and the runtime's background processes.
 */
public interface ToolContext {

  /** The workspace and its path check; every file a tool touches goes through it. */
  Workspace workspace();

  /** The runtime section of the agent file. */
  RuntimeConfig runtimeConfig();

  /** The agent file's entry for a tool, or an enabled entry with no settings. */
  ToolConfig toolConfig(String toolName);

  /**
   * Adds text to this step's execution result (what the model sees after the block), after the
   * results so far. A tool may call it any number of times, for example to report progress or to
   * say more than its return value; the texts also appear in the call's TOOL_RESULT event, before
   * the text of the returned value.
   */
  void appendExecution(String text);

  /**
   * Fires an event on the runtime's hooks; returns what handlers of the deprecated {@code
   * EventHandler} path returned (see {@link dev.codepilot.hooks.HookSystem#emit}).
   */
  Object emit(Event event);

  /**
   * Fires a permission request on the runtime's hooks and returns the runtime's {@link
   * dev.codepilot.hooks.PermissionGate}'s decision; false when there is no gate. This default, for
   * contexts made outside a runtime, approves only when a handler returned {@code Boolean.TRUE}.
   */
  default boolean requestPermission(Event.PermissionRequest request) {
    return Boolean.TRUE.equals(emit(request));
  }

  /**
   * Counts tokens a tool spent on model calls of its own (a sub-agent's run, for example) in the
   * run's usage. This default, for contexts made outside a runtime, drops them.
   */
  default void addUsage(dev.codepilot.model.Usage usage) {}

  /** Asks the user a question through the runtime's ask-user handler and returns the answer. */
  String askUser(String question);

  /** Ends the run after the current block with this summary, as {@code done()} does. */
  void finish(String summary);

  /**
   * The runtime's background commands (and its foreground command in progress), all ended when the
   * runtime is reset or closed.
   */
  BackgroundProcesses backgroundProcesses();
}
