package dev.codepilot.tools;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ToolConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in workspace tools: {@code write_file}, {@code read_file}, {@code run_command} (with
 * {@code command_output} and {@code stop_command} for background commands) and {@code ask_user}.
 * {@code think} and {@code done} are part of every {@link ToolRegistry}.
 *
 * <p>A runtime registers every built-in at construction. A built-in is on unless the agent file's
 * {@code tools:} list names it with {@code enabled: false}; listing it is only needed to turn it
 * off or to configure it ({@code require_permission}, {@code timeout}), as in the Python original.
 * {@code command_output} and {@code stop_command} follow {@code run_command}.
 *
 * <p>The definitions hold no state (background processes live in the runtime's {@link
 * BackgroundProcesses}, reached through the {@link ToolContext}), so a replacement can delegate to
 * a fresh one:
 *
 * <pre>{@code
 * ToolDefinition original = BuiltinTools.runCommand();
 * runtime.registerTool(Tools.builder("run_command")
 *     .description("Run a read-only shell command.")
 *     .param("command", PyType.STR)
 *     .optionalParam("timeout", PyType.INT, null)
 *     .optionalParam("background", PyType.BOOL, false)
 *     .handler(call -> call.string("command").contains("rm ")
 *         ? "[run_command] Blocked: '" + call.string("command") + "' is not permitted."
 *         : call.delegate(original))
 *     .build(), true);
 * }</pre>
 */
public final class BuiltinTools {

  private BuiltinTools() {}

  /** {@code write_file(path, start_line=None, end_line=None, after_line=None, mode="w")}. */
  public static ToolDefinition writeFile() {
    return new WriteFileTool();
  }

  /** {@code read_file(path, start_line=1, end_line=None)}. */
  public static ToolDefinition readFile() {
    return new ReadFileTool();
  }

  /** {@code run_command(command, timeout=None, background=False)}. */
  public static ToolDefinition runCommand() {
    return new RunCommandTool();
  }

  /** {@code command_output(id)}: status and output so far of a background command. */
  public static ToolDefinition commandOutput() {
    return new CommandOutputTool();
  }

  /** {@code stop_command(id)}: ends a background command and what it started. */
  public static ToolDefinition stopCommand() {
    return new StopCommandTool();
  }

  /** {@code ask_user(question)}. */
  public static ToolDefinition askUser() {
    return new AskUserTool();
  }

  /** Every built-in above, in that order. */
  public static List<ToolDefinition> all() {
    return List.of(
        writeFile(), readFile(), runCommand(), commandOutput(), stopCommand(), askUser());
  }

  /**
   * The built-ins a runtime registers for an agent file: all of them, except that {@code
   * command_output} and {@code stop_command} are left out when {@code run_command} is disabled.
   * (Disabled built-ins are registered but not offered; see {@link
   * ToolRegistry#offered(AgentConfig)}.)
   */
  public static List<ToolDefinition> forConfig(AgentConfig config) {
    boolean shell = config.tool(RunCommandTool.NAME).map(ToolConfig::enabled).orElse(true);
    List<ToolDefinition> tools = new ArrayList<>();
    for (ToolDefinition tool : all()) {
      boolean background =
          tool.name().equals(CommandOutputTool.NAME) || tool.name().equals(StopCommandTool.NAME);
      if (shell || !background) {
        tools.add(tool);
      }
    }
    return List.copyOf(tools);
  }
}
