package dev.codepilot.tools;

import dev.codepilot.config.AgentConfig;
import java.util.List;

/**
 * The built-in workspace tools. {@code think} and {@code done} are part of every
 * {@link ToolRegistry}.
 *
 * <p>A runtime registers every built-in at construction. A built-in is on unless the agent
 * file's {@code tools:} list names it with {@code enabled: false}; listing it is only needed to
 * turn it off or to configure it ({@code require_permission}), as in the Python original.
 *
 * <p>The definitions hold no state, so a replacement can delegate to a fresh one with
 * {@link ToolInvocation#delegate(ToolDefinition)}.
 */
public final class BuiltinTools {

  private BuiltinTools() {
  }

  /** {@code write_file(path, start_line=None, end_line=None, after_line=None, mode="w")}. */
  public static ToolDefinition writeFile() {
    return new WriteFileTool();
  }

  /** {@code read_file(path, start_line=1, end_line=None)}. */
  public static ToolDefinition readFile() {
    return new ReadFileTool();
  }

  /** Every built-in above, in that order. */
  public static List<ToolDefinition> all() {
    return List.of(writeFile(), readFile());
  }

  /**
   * The built-ins a runtime registers for an agent file: all of them. (Disabled built-ins are
   * registered but not offered; see {@link ToolRegistry#offered(AgentConfig)}.)
   */
  public static List<ToolDefinition> forConfig(AgentConfig config) {
    return all();
  }
}
