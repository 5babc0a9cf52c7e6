package dev.codepilot.tools;

import java.util.Objects;

/**
 * The outcome of one tool call as the sandbox hands it back to the block: a plain value (null,
 * String, Boolean, Long, BigInteger, Double, or lists and maps of those) or a Python exception to
 * raise.
 */
public sealed interface ToolReply {

  /** The call returned {@code value}, already reduced to plain data. */
  record Returned(Object value) implements ToolReply {}

  /** The call failed; the block sees {@code pythonType(message)} raised. */
  record Raised(String pythonType, String message) implements ToolReply {
    /** Checks that neither component is null. */
    public Raised {
      Objects.requireNonNull(pythonType, "pythonType");
      Objects.requireNonNull(message, "message");
    }
  }
}
