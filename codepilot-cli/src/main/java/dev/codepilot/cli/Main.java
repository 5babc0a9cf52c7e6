package dev.codepilot.cli;

import picocli.CommandLine;

/** Entry point of the {@code codepilot} command. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    int code = run(args);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /** Runs the command line and returns its exit code: 0 done, 1 ended otherwise, 2 bad usage. */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new CodePilotCommand());
    commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
      cl.getErr().println("codepilot: " + (e instanceof UsageException ? e.getMessage() : describe(e)));
      return e instanceof UsageException ? ExitCodes.USAGE : ExitCodes.FAILED;
    });
    return commandLine.execute(args);
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.toString() : message;
  }
}
