package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.mcp.AgentMcpServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code codepilot mcp AGENT_FILE}: the agent as an MCP server over stdio. */
@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description = {
      "Serve an agent as an MCP server over stdio, with one tool, run_task.",
      "Any MCP client can hand the agent a task: {\"task\": \"...\"} returns the agent's"
          + " summary. Standard output carries only the protocol; messages go to standard"
          + " error. Permission requests are denied unless --yes is given, and ask_user gets"
          + " an empty answer."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the client closed the connection",
      "2:bad usage, a bad agent file, or an MCP server of the agent that cannot start"
    })
final class McpCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "AGENT_FILE", description = "The agent's YAML file.")
  Path agentFile;

  @Mixin SessionOptions sessionOptions;

  @Option(names = "--yes", description = "Approve every permission request.")
  boolean yes;

  @Option(names = "--max-steps", paramLabel = "N", description = "Override runtime.max_steps.")
  Integer maxSteps;

  @Override
  public Integer call() throws Exception {
    if (maxSteps != null && maxSteps < 1) {
      throw new UsageException("--max-steps must be at least 1");
    }
    // The protocol owns standard output: anything else printed by accident goes to stderr.
    PrintStream protocol =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(Console.stderr());
    try (AgentRuntime runtime = Runtimes.open(agentFile, sessionOptions, maxSteps, null)) {
      runtime.onPermissionRequest(
          request -> {
            Console.stderr()
                .println(
                    "codepilot: "
                        + (yes ? "approved (--yes): " : "denied (run with --yes to approve): ")
                        + TerminalText.line(request.description()));
            return yes;
          });
      runtime.setAskUserHandler(question -> "");
      runtime.registerToolSources();
      try (AgentMcpServer server =
          new AgentMcpServer(runtime, new FileInputStream(FileDescriptor.in), protocol)) {
        server.awaitClose();
      }
    }
    return ExitCodes.DONE;
  }
}
