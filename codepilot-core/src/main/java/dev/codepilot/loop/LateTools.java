package dev.codepilot.loop;

import java.util.Set;

/**
 * Tools that arrive while a run goes on: the tools of MCP servers still starting in the background.
 * The loop asks before each model request which have arrived, and before each block waits for those
 * the block uses.
 */
public interface LateTools {

  /** No tools arrive late. */
  LateTools NONE =
      new LateTools() {
        @Override
        public Set<String> refresh() {
          return Set.of();
        }

        @Override
        public void awaitUsed(String code) {}
      };

  /**
   * Registers the tools that are ready now, without waiting, and returns the names of the groups
   * still starting, for the system prompt.
   *
   * @throws dev.codepilot.tools.ToolSourceException when a source failed to start
   */
  Set<String> refresh();

  /**
   * Waits for the starting groups whose names the block's code uses, and registers their tools.
   *
   * @throws dev.codepilot.tools.ToolSourceException when one of them failed to start
   */
  void awaitUsed(String code);
}
