package dev.codepilot.loop;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.internal.LastComputed;
import dev.codepilot.tools.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders the system prompt, every step: who the agent is, how to reply, what the context tags
 * mean, the tools, a worked example, the rules, the workspace, then the agent file's own
 * instructions. The tool list is rendered again only when the tools on offer change.
 */
public final class SystemPrompt {

  private static final Pattern LINE_BREAK = Pattern.compile("\\s*\\n\\s*");

  /** The longest summary of a server's tool in the prompt. */
  private static final int SUMMARY_CHARS = 60;

  /**
   * The most tools a server may offer and still have each listed on a line with its summary; a
   * larger server is listed by tool names alone, so that its cost grows by a few tokens per tool
   * rather than by a line.
   */
  static final int DESCRIBED_TOOLS_PER_SERVER = 10;

  private final AgentConfig config;
  private final WorkspaceSnapshot snapshot;

  /** The tool list, rendered again when the tools on offer change (fixed once registered). */
  private final LastComputed<Offer, String> renderedTools =
      new LastComputed<>(offer -> toolSection(offer.tools(), offer.starting()));

  /** The tools on offer and the groups (MCP servers) still starting. */
  private record Offer(List<ToolDefinition> tools, Set<String> starting) {}

  public SystemPrompt(AgentConfig config) {
    this.config = config;
    this.snapshot = new WorkspaceSnapshot(config.runtime().workDir());
  }

  /** The prompt for the next step, with these tools on offer. */
  public String render(List<ToolDefinition> tools) {
    return render(tools, Set.of());
  }

  /**
   * The prompt for the next step, with these tools on offer and these groups of tools (MCP servers)
   * still starting, which the prompt names so that blocks may use them.
   */
  public String render(List<ToolDefinition> tools, Set<String> starting) {
    StringBuilder out = new StringBuilder(4096);
    out.append("You are ").append(config.name());
    if (!config.role().isBlank()) {
      out.append(", ").append(config.role().strip());
    }
    out.append("\n\n");
    out.append(
        """
        # How you act
        You act by writing Python. Every reply holds exactly one control block: a fenced code \
        block tagged `python`. The runtime runs it in a sandbox where the tools below are plain \
        Python functions; loops, string work, json, re and math happen right in the block. \
        Variables, functions and imports persist from one block to the next.

        Put your reasoning as short comments at the top of the control block. After the control \
        block you may add payload blocks: each `write_file(...)` call takes the next payload \
        block, in order, as the file's content. Fence a payload with four backticks when its \
        content contains three. Write no text between or after the blocks.

        # Context tags
        - `[USER INPUT]` a task from the user.
        - `[EXECUTION RESULT]` what your last block printed, then each tool's result.
        - `[USER MESSAGE]` a message the user sent while you were working; act on it at once.

        # Tools
        """);
    out.append(renderedTools.get(new Offer(List.copyOf(tools), Set.copyOf(starting))));
    out.append(
        """

        # Example
        ```python
        # Create the module, then run it to check it works.
        think("Writing greet.py and running it")
        write_file("greet.py")
        result = run_command("python greet.py")
        if "Hello" in result:
            done("Created greet.py; it prints a greeting.")
        ```
        ```
        print("Hello, world!")
        ```

        # Rules
        1. Reply with the control block (and payload blocks) only; no text outside them.
        2. Read a file before you edit it; use line ranges for targeted edits.
        3. A non-zero exit code means the command failed: read the error and fix the cause.
        4. When a task is unclear or a decision is the user's, call ask_user.
        5. Verify your work (run it, read it back) before you call done.
        6. Act on a [USER MESSAGE] at once.
        7. Call done(summary) only when the task is complete; the run ends after that block.
        8. Blocks use public names only (no attribute starting with `_`), reach files through \
        the tools (not open or pathlib), and import only the modules the sandbox allows.

        # Workspace
        """);
    // The host's folders are not the model's business unless it may reach outside the workspace.
    out.append("Working directory: ")
        .append(
            config.runtime().unsafeMode()
                ? config.runtime().workDir().toString()
                : "the workspace (give tools paths relative to it; commands start in it)")
        .append('\n');
    out.append("Operating system: ").append(System.getProperty("os.name")).append('\n');
    out.append("Files (line counts): ").append(snapshot.render()).append('\n');
    if (!config.systemPrompt().isBlank()) {
      out.append("\n# Instructions\n").append(config.systemPrompt().strip()).append('\n');
    }
    return out.toString();
  }

  private static String toolSection(List<ToolDefinition> tools, Set<String> starting) {
    StringBuilder text = new StringBuilder();
    // Tools named "server.tool" (MCP servers) are listed by server without their parameters:
    // a small server one short line per tool, a large one by names alone, so that even a
    // server with a hundred tools costs a few hundred tokens; help() in a block shows a tool
    // in full.
    Map<String, List<ToolDefinition>> grouped = new TreeMap<>();
    for (ToolDefinition tool : tools) {
      int dot = tool.name().indexOf('.');
      if (dot > 0) {
        grouped.computeIfAbsent(tool.name().substring(0, dot), k -> new ArrayList<>()).add(tool);
      } else {
        text.append("- `")
            .append(tool.signature())
            .append("`: ")
            .append(firstParagraph(tool.description()))
            .append('\n');
      }
    }
    for (String group : starting) {
      grouped.putIfAbsent(group, List.of());
    }
    if (!grouped.isEmpty()) {
      text.append(
          "\n## MCP servers\nEach server is an object; call its tools as methods with"
              + " keyword arguments, like `server.tool(name=value)`. `help(server.tool)` prints a"
              + " tool's parameters and documentation, `help(server)` all of its tools with their"
              + " first lines: call it before using a tool listed by name only. A tool that"
              + " reports an error raises `McpError`.\n");
      grouped.forEach(
          (server, members) -> {
            text.append("- `").append(server).append("`:");
            if (members.isEmpty()) {
              text.append(" starting; a block that uses it waits for it, and `help(")
                  .append(server)
                  .append(")` lists its tools");
            } else if (members.size() > DESCRIBED_TOOLS_PER_SERVER) {
              text.append(' ');
              for (int i = 0; i < members.size(); i++) {
                text.append(i == 0 ? "" : ", ")
                    .append(members.get(i).name().substring(server.length() + 1));
              }
            } else {
              for (ToolDefinition tool : members) {
                text.append("\n  - ").append(tool.name().substring(server.length() + 1));
                String summary = summary(tool.description());
                if (!summary.isEmpty()) {
                  text.append(": ").append(summary);
                }
              }
            }
            text.append('\n');
          });
    }
    return text.toString();
  }

  /** The first sentence of a description, at most {@value #SUMMARY_CHARS} characters. */
  static String summary(String description) {
    String paragraph = firstParagraph(description);
    int end = paragraph.indexOf(". ");
    String sentence = end < 0 ? paragraph : paragraph.substring(0, end + 1);
    if (sentence.length() > SUMMARY_CHARS) {
      int cut = sentence.lastIndexOf(' ', SUMMARY_CHARS - 1);
      sentence = sentence.substring(0, cut > SUMMARY_CHARS / 2 ? cut : SUMMARY_CHARS - 1) + "…";
    }
    return sentence;
  }

  private static String firstParagraph(String text) {
    String stripped = text.strip();
    int end = stripped.indexOf("\n\n");
    String paragraph = end < 0 ? stripped : stripped.substring(0, end);
    return LINE_BREAK.matcher(paragraph).replaceAll(" ");
  }
}
