package dev.codepilot.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * One mapping of the agent file (the file itself, {@code agent:}, {@code model:}, a tool entry,
 * ...) together with its field path and line, so that a missing or mistyped setting can be reported
 * where it belongs.
 */
final class YamlMap {

  /** The rule every duration setting follows. */
  static final String SECONDS = "a number of seconds of at least 0.001, like 30 or 2.5";

  private final YamlValues values;
  private final String field;
  private final int line;
  private final Map<String, NodeTuple> entries;

  YamlMap(YamlValues values, String field, int line, Map<String, NodeTuple> entries) {
    this.values = values;
    this.field = field;
    this.line = line;
    this.entries = entries;
  }

  /** The dotted path of a key below {@code parent}. */
  static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  String field() {
    return field;
  }

  /** The dotted path of one of this mapping's keys. */
  String field(String key) {
    return child(field, key);
  }

  /** The line that introduces this mapping; missing keys are reported here. */
  int line() {
    return line;
  }

  /** The keys in file order. */
  List<String> keys() {
    return List.copyOf(entries.keySet());
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /**
   * Refuses any key not in {@code valid}, suggesting the closest valid one when the key looks like
   * a typo. {@code where} names the section for the message ("under agent.model").
   */
  void allowOnly(List<String> valid, String where) throws AgentFileException {
    for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
      String key = entry.getKey();
      if (valid.contains(key)) {
        continue;
      }
      String hint = Names.closest(key, valid).map(k -> "did you mean '" + k + "'? ").orElse("");
      throw values.error(
          field(key),
          entry.getValue().getKeyNode(),
          "unknown key "
              + YamlValues.quote(key)
              + "; "
              + hint
              + "valid keys "
              + where
              + ": "
              + String.join(", ", valid));
    }
  }

  /** The first key not in {@code valid}, for callers that explain it their own way. */
  Optional<String> firstKeyOutside(List<String> valid) {
    return entries.keySet().stream().filter(k -> !valid.contains(k)).findFirst();
  }

  /** The line of a key that is present. */
  int keyLine(String key) {
    return YamlValues.line(entries.get(key).getKeyNode());
  }

  /** The value of a key, empty when the key is absent or has no value. */
  Optional<Node> get(String key) {
    NodeTuple tuple = entries.get(key);
    if (tuple == null || YamlValues.isNull(tuple.getValueNode())) {
      return Optional.empty();
    }
    return Optional.of(tuple.getValueNode());
  }

  /** The value of a required key; {@code what} tells the user what to put there. */
  Node require(String key, String what) throws AgentFileException {
    NodeTuple tuple = entries.get(key);
    if (tuple == null) {
      throw values.error(
          field(key), line, "is required but missing; add '" + key + ":' with " + what);
    }
    if (YamlValues.isNull(tuple.getValueNode())) {
      throw values.error(
          field(key), tuple.getValueNode(), "is required but empty; set it to " + what);
    }
    return tuple.getValueNode();
  }

  /** Text, empty when absent or empty. */
  Optional<String> text(String key) throws AgentFileException {
    Optional<Node> node = get(key);
    return node.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(values.text(node.get(), field(key)));
  }

  /** Required text that is not blank. */
  String requiredText(String key, String what) throws AgentFileException {
    Node node = require(key, what);
    String text = values.text(node, field(key));
    if (text.isBlank()) {
      throw values.error(field(key), node, "must not be blank; set it to " + what);
    }
    return text;
  }

  boolean bool(String key, boolean fallback) throws AgentFileException {
    Optional<Node> node = get(key);
    return node.isEmpty() ? fallback : values.bool(node.get(), field(key));
  }

  /** A whole number in [min, Integer.MAX_VALUE]. */
  int integer(String key, int fallback, int min) throws AgentFileException {
    Optional<Node> node = get(key);
    if (node.isEmpty()) {
      return fallback;
    }
    String rule = min == 1 ? "a positive whole number" : "a whole number of at least " + min;
    return (int) values.integer(node.get(), field(key), min, Integer.MAX_VALUE, rule);
  }

  /** A duration given as a number of seconds of at least 0.001, or {@code fallback}. */
  Duration seconds(String key, Duration fallback) throws AgentFileException {
    Optional<Node> node = get(key);
    if (node.isEmpty()) {
      return fallback;
    }
    double seconds = values.number(node.get(), field(key), 0.001, Double.MAX_VALUE, SECONDS);
    // Math.round saturates, so a huge value becomes the longest Duration nanos can express.
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /** A nested mapping, empty when absent or empty. */
  Optional<YamlMap> map(String key, String rule) throws AgentFileException {
    Optional<Node> node = get(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(values.map(node.get(), field(key), keyLine(key), rule));
  }
}
