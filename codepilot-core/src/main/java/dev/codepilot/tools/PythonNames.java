package dev.codepilot.tools;

import dev.codepilot.internal.Json;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules for names the model sees: tool and parameter names must be plain Python identifiers. */
final class PythonNames {

  /** A plain name, or "group.name": a method of the object {@code group} in blocks. */
  private static final Pattern TOOL_NAME =
      Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)?");

  private static final Set<String> KEYWORDS = Set.of(
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
      "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
      "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
      "try", "while", "with", "yield", "match", "case", "type", "_");

  private PythonNames() {
  }

  static boolean isKeyword(String name) {
    return KEYWORDS.contains(name);
  }

  /** Checks a tool name: an identifier that does not start with an underscore. */
  static String requireToolName(String name) {
    if (name == null || !TOOL_NAME.matcher(name).matches()
        || java.util.Arrays.stream(name.split("\\.")).anyMatch(PythonNames::isKeyword)) {
      throw new IllegalArgumentException("tool name '" + name + "' must be a Python identifier"
          + " starting with a letter (letters, digits and _), and not a keyword");
    }
    return name;
  }

  /** A Python literal for a default value: None, True/False, numbers, strings, lists, dicts. */
  static String literal(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Number || value instanceof String) {
      return Json.write(value);
    }
    return Json.write(value).replace("null", "None").replace("true", "True").replace("false", "False");
  }
}
