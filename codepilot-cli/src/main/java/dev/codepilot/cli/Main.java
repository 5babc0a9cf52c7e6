package dev.codepilot.cli;

import dev.codepilot.internal.TerminalText;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code codepilot} command. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    int code = run(args);
    Console.stdout().flush();
    Console.stderr().flush();
    System.exit(code);
  }

  /** Runs the command line and returns its exit code: 0 done, 1 ended otherwise, 2 bad usage. */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new CodePilotCommand());
    commandLine.setOut(new PrintWriter(Console.stdout(), true));
    commandLine.setErr(new PrintWriter(Console.stderr(), true));
    commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
      // Messages may quote an agent file, a session file or a model's reply.
      String message = e instanceof UsageException ? e.getMessage() : describe(e);
      cl.getErr().println("codepilot: " + TerminalText.block(message));
      cl.getErr().flush();
      return e instanceof UsageException ? ExitCodes.USAGE : ExitCodes.FAILED;
    });
    try {
      return commandLine.execute(args);
    } finally {
      Telemetry.close();
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.toString() : message;
  }
}
