package dev.codepilot.cli;

import dev.codepilot.internal.TerminalText;
import dev.codepilot.tools.ToolSourceException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code codepilot} command. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    int code = run(args);
    Console.stdout().flush();
    Console.stderr().flush();
    System.exit(code);
  }

  /** Runs the command line and returns its exit code: 0 done, 1 ended otherwise, 2 bad usage. */
  public static int run(String... args) {
    // The MCP SDK logs every connection at INFO; a user needs its warnings only (on stderr).
    if (System.getProperty("org.slf4j.simpleLogger.log.io.modelcontextprotocol") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.io.modelcontextprotocol", "warn");
    }
    // Reactor (under the MCP SDK) reports a stdio server's closed pipe as an unhandled error;
    // the runtime reports the server's end itself.
    if (System.getProperty("org.slf4j.simpleLogger.log.reactor.core.publisher.Operators") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.reactor.core.publisher.Operators", "off");
    }
    // Picocli's factory looks for Groovy's Closure class once; a class that is not there makes the
    // JVM open every jar on the class path (GraalPy's among them) before it gives up.
    if (System.getProperty("picocli.disable.closures") == null) {
      System.setProperty("picocli.disable.closures", "true");
    }
    CommandLine commandLine = CodePilotCommand.commandLine(args);
    commandLine.setExecutionStrategy(
        parsed -> {
          // Help and version only print: they need no log handler, and installing it makes the
          // JDK look through every jar for a logging service.
          if (!helpOnly(parsed)) {
            LogLines.install();
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    commandLine.setOut(new PrintWriter(Console.stdout(), true));
    commandLine.setErr(new PrintWriter(Console.stderr(), true));
    commandLine.setExecutionExceptionHandler(
        (e, cl, parsed) -> {
          // Messages may quote an agent file, a session file or a model's reply.
          // An MCP server that cannot be started or reached is a configuration problem: exit 2.
          boolean usage = e instanceof UsageException || e instanceof ToolSourceException;
          String message = usage ? e.getMessage() : describe(e);
          cl.getErr().println("codepilot: " + TerminalText.block(message));
          cl.getErr().flush();
          return usage ? ExitCodes.USAGE : ExitCodes.FAILED;
        });
    try {
      return commandLine.execute(args);
    } finally {
      Telemetry.close();
    }
  }

  /** Whether the command line asks for help or the version, of any command. */
  private static boolean helpOnly(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.toString() : message;
  }
}
