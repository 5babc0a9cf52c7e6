package dev.codepilot.tools;

import dev.codepilot.internal.Json;
import dev.codepilot.internal.PythonSyntax;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

/** Rules for names the model sees: tool and parameter names must be plain Python identifiers. */
final class PythonNames {

  private PythonNames() {}

  /** Checks a tool name: an identifier that does not start with an underscore. */
  static String requireToolName(String name) {
    // A plain name, or "group.name": a method of the object named group in blocks.
    String[] parts = name == null ? new String[0] : name.split("\\.", -1);
    if (parts.length < 1
        || parts.length > 2
        || !java.util.Arrays.stream(parts).allMatch(PythonSyntax::isToolName)) {
      throw new IllegalArgumentException(
          "tool name '"
              + name
              + "' must be a Python identifier"
              + " starting with a letter (letters, digits and _), and not a keyword or soft keyword");
    }
    return name;
  }

  /**
   * A Python literal for a default value: None, True/False, numbers, strings, lists (and other
   * collections and arrays) and dicts, nested. Only Java {@code null} becomes {@code None}: a
   * string is always quoted, whatever words it holds.
   */
  static String literal(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Map<?, ?> map) {
      // Compact, as the JSON form these were written in before.
      StringJoiner items = new StringJoiner(",", "{", "}");
      map.forEach((key, item) -> items.add(literal(key) + ":" + literal(item)));
      return items.toString();
    }
    if (value instanceof Collection<?> collection) {
      StringJoiner items = new StringJoiner(",", "[", "]");
      collection.forEach(item -> items.add(literal(item)));
      return items.toString();
    }
    if (value.getClass().isArray()) {
      StringJoiner items = new StringJoiner(",", "[", "]");
      for (int i = 0; i < Array.getLength(value); i++) {
        items.add(literal(Array.get(value, i)));
      }
      return items.toString();
    }
    // Numbers, strings and anything else: JSON's form of them is also Python's (a JSON string
    // is a valid Python string literal).
    return Json.write(value);
  }
}
