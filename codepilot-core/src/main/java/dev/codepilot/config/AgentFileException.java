package dev.codepilot.config;

import dev.codepilot.exception.CodePilotException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An agent file could not be loaded: it is missing or unreadable, is not valid YAML, or breaks a
 * rule of the agent file format.
 *
 * <p>The message is one line a user can act on, in the form {@code <file>:<line>: <field>: <what is
 * wrong and what to do>}; the line and the field are left out when they are not known. For example:
 *
 * <pre>{@code
 * agent.yaml:12: agent.runtime.max_steps: must be a positive whole number; found the text 'abc'
 * }</pre>
 *
 * <p>Unchecked, like every {@link CodePilotException}.
 */
public final class AgentFileException extends CodePilotException {

  private static final long serialVersionUID = 1L;

  /** The agent file, as the caller named it. */
  private final Path file;

  /** The setting at fault as a dotted path; empty for the whole file. */
  private final String field;

  /** The 1-based line of the offending value, or 0. */
  private final int line;

  AgentFileException(Path file, String field, int line, String problem) {
    this(file, field, line, problem, null);
  }

  AgentFileException(Path file, String field, int line, String problem, Throwable cause) {
    super(format(file, field, line, problem), cause);
    this.file = Objects.requireNonNull(file, "file");
    this.field = Objects.requireNonNull(field, "field");
    this.line = Math.max(0, line);
  }

  /** The agent file, as the caller named it. */
  public Path file() {
    return file;
  }

  /**
   * The setting at fault as a dotted path in the file's own layout, such as {@code
   * agent.model.provider} or {@code agent.tools[1].config.timeout}; empty when the problem is the
   * whole file (missing, empty, not YAML).
   */
  public String field() {
    return field;
  }

  /** The 1-based line of the offending value, or 0 when no line applies. */
  public int line() {
    return line;
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
    message.append(problem);
    return oneLine(message.toString());
  }

  /** Control characters (newlines above all) would break the one-line promise; spell them out. */
  private static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (c == '\n') {
                out.append("\\n");
              } else if (c == '\r') {
                out.append("\\r");
              } else if (c == '\t') {
                out.append("\\t");
              } else if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04X", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }
}
