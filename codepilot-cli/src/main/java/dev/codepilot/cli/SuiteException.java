package dev.codepilot.cli;

import java.nio.file.Path;

/**
 * A suite file could not be used: it is missing, not YAML, or breaks a rule of the format. The
 * message is one line, {@code <file>:<line>: <field>: <problem>}, like the agent file's errors.
 */
final class SuiteException extends Exception {

  private static final long serialVersionUID = 1L;

  SuiteException(Path file, String field, int line, String problem) {
    super(format(file, field, line, problem));
  }

  SuiteException(String message, Throwable cause) {
    super(message, cause);
  }

  private static String format(Path file, String field, int line, String problem) {
    StringBuilder message = new StringBuilder().append(file);
    if (line > 0) {
      message.append(':').append(line);
    }
    message.append(": ");
    if (!field.isEmpty()) {
      message.append(field).append(": ");
    }
    return message.append(problem).toString().replace("\n", "\\n").replace("\r", "\\r");
  }
}
