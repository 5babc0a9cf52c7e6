package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.tools.Param;
import dev.codepilot.tools.PyType;
import dev.codepilot.tools.Tool;
import dev.codepilot.tools.ToolContext;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.Tools;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reference section 10, custom tools: a tool built with a lambda, tools from {@link Tool @Tool}
 * methods, and the built-in {@code run_command} replaced by a stricter one that hands allowed
 * commands to the original. The model sees each tool as a Python function with the description in
 * its system prompt.
 *
 * <pre>./codepilot-examples/run.sh CustomTools</pre>
 */
public final class CustomTools {

  private CustomTools() {}

  public static void main(String[] args) throws Exception {
    run(Examples.agentFile(args, "custom-tools"), System.out);
  }

  // tag::annotated[]
  /** Team notifications; the list stands in for a Slack client. */
  public static final class TeamTools {

    final List<String> sent = new CopyOnWriteArrayList<>();

    @Tool(
        """
        Send a message to a Slack channel. Use after completing a task to notify the team.
        channel is the channel name without #, e.g. 'deployments'.""")
    public void sendSlack(String channel, String message, ToolContext context) {
      sent.add("#" + channel + ": " + message);
      // A void tool returns None to Python; appendExecution shows the model what happened.
      context.appendExecution("[send_slack] Message sent to #" + channel + ".");
    }

    @Tool(name = "list_channels", value = "The Slack channels the team uses.")
    public List<String> channels(
        @Param(value = "prefix", optional = true, defaultValue = "\"\"") String prefix) {
      return List.of("deployments", "backend").stream().filter(c -> c.startsWith(prefix)).toList();
    }
  }

  // end::annotated[]

  static void run(Path agentFile, PrintStream out) throws Exception {
    try (AgentRuntime runtime = AgentRuntime.builder(agentFile).consoleOutput(out).build()) {
      // tag::builder[]
      runtime.registerTool(
          Tools.builder("web_search")
              .description(
                  """
              Search the web for current information and return a summary. Use for library
              documentation, recent API changes and error lookups.""")
              .param("query", PyType.STR)
              .optionalParam("max_results", PyType.INT, 3)
              .handler(call -> searchTheWeb(call.string("query"))) // the value goes to Python
              .build()); // and into the result text
      // end::builder[]

      // tag::register-annotated[]
      TeamTools team = new TeamTools();
      runtime.registerTools(team); // send_slack(channel, message), list_channels(prefix="")
      // end::register-annotated[]

      // tag::override[]
      ToolDefinition original = runtime.registry().get("run_command").orElseThrow();
      runtime.registerTool(
          Tools.builder("run_command")
              .description(
                  """
              Run a shell command. Restricted to read-only operations in this environment.""")
              .param("command", PyType.STR)
              .optionalParam("timeout", PyType.INT, null)
              .optionalParam("background", PyType.BOOL, false)
              .handler(
                  call -> {
                    String command = call.string("command");
                    if (List.of("rm", "del", "format", ">", "sudo").stream()
                        .anyMatch(command::contains)) {
                      return "[run_command] Blocked: '" + command + "' is not permitted.";
                    }
                    return call.delegate(original); // the built-in, with this call's arguments
                  })
              .build(),
          true); // replace = true
      // end::override[]

      runtime.run("Research the latest SQLAlchemy 2.0 async API and implement a connection pool");
      out.println("Slack got: " + team.sent);
    }
  }

  /** A stand-in for a search API, so that the example runs offline. */
  private static String searchTheWeb(String query) {
    return "SQLAlchemy 2.0: create_async_engine(url, pool_size=..., max_overflow=...)\n"
        + "AsyncSession and async_sessionmaker replace the 1.x session API.";
  }
}
