package dev.codepilot.cli;

import dev.codepilot.internal.TerminalText;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Shows what the CodePilot libraries log (through {@link System.Logger}, which the JDK routes to
 * {@code java.util.logging}) as the command's own one-line messages on standard error, such as
 * {@code codepilot: warning: run_command runs commands unconfined, ...}: the libraries log, and
 * this face decides how a person sees it. Warnings and errors only, no stack traces.
 */
final class LogLines extends Handler {

  /** Held here: {@code java.util.logging} keeps only weak references to configured loggers. */
  private static final Logger CODEPILOT = Logger.getLogger("dev.codepilot");

  private static final Formatter MESSAGES = new SimpleFormatter();

  private LogLines() {
    setLevel(Level.WARNING);
  }

  /** Routes the {@code dev.codepilot} loggers here instead of the JDK's two-line console log. */
  static synchronized void install() {
    for (Handler handler : CODEPILOT.getHandlers()) {
      if (handler instanceof LogLines) {
        return;
      }
    }
    CODEPILOT.setUseParentHandlers(false);
    CODEPILOT.addHandler(new LogLines());
  }

  /** One message as the command prints it; the text may quote a model's reply or a file. */
  static String line(LogRecord record) {
    String kind = record.getLevel().intValue() >= Level.SEVERE.intValue() ? "error" : "warning";
    return "codepilot: " + kind + ": " + TerminalText.line(MESSAGES.formatMessage(record));
  }

  @Override
  public void publish(LogRecord record) {
    if (isLoggable(record)) {
      Console.stderr().println(line(record));
      Console.stderr().flush();
    }
  }

  @Override
  public void flush() {
    Console.stderr().flush();
  }

  @Override
  public void close() {
    flush();
  }
}
