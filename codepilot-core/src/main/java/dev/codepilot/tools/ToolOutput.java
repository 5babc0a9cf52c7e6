package dev.codepilot.tools;

import java.util.Objects;

/**
 * A tool result whose value for the Python code differs from the text the model is shown in the
 * execution result, as with {@code ask_user}: the value is the answer, the text records the
 * question and the answer.
 *
 * @param value the value returned to Python (may be null)
 * @param text the text added to the execution result; never null
 */
public record ToolOutput(Object value, String text) {

  /** Checks that {@code text} is not null. */
  public ToolOutput {
    Objects.requireNonNull(text, "text");
  }
}
