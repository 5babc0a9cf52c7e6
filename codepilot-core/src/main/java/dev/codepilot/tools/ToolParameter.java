package dev.codepilot.tools;

import dev.codepilot.internal.PythonSyntax;
import java.util.Objects;

/**
 * One parameter of a tool, as the model sees it in the tool's Python signature.
 *
 * @param name a Python identifier
 * @param type its Python type
 * @param required true when the model must pass it
 * @param defaultValue the value used when an optional parameter is not passed (may be null, shown
 *     as {@code None})
 */
public record ToolParameter(String name, PyType type, boolean required, Object defaultValue) {

  /**
   * Checks the parameter.
   *
   * @throws IllegalArgumentException when the name is not a Python identifier starting with a
   *     letter, or a required parameter has a default
   */
  public ToolParameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (!PythonSyntax.isToolName(name)) {
      throw new IllegalArgumentException(
          "parameter name '"
              + name
              + "' is not a Python identifier starting with a letter (or is a keyword)");
    }
    if (required && defaultValue != null) {
      throw new IllegalArgumentException("required parameter '" + name + "' cannot have a default");
    }
  }

  /** A parameter the model must pass. */
  public static ToolParameter required(String name, PyType type) {
    return new ToolParameter(name, type, true, null);
  }

  /** A parameter the model may leave out, taking {@code defaultValue} (null for None). */
  public static ToolParameter optional(String name, PyType type, Object defaultValue) {
    return new ToolParameter(name, type, false, defaultValue);
  }

  /** The parameter as written in a Python signature, for example {@code mode: str = "w"}. */
  public String signature() {
    String text = name + ": " + type.pythonName();
    return required ? text : text + " = " + PythonNames.literal(defaultValue);
  }
}
