package dev.codepilot.config;

import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads typed values out of one agent file's YAML node tree. The tree comes from SnakeYAML's
 * composer rather than from Jackson's data binding because its nodes keep their line numbers; every
 * error here names the field path and the line of the value at fault.
 */
final class YamlValues {

  /** A bound on the nodes one custom tool's settings may expand to through aliases. */
  private static final int MAX_CONFIG_NODES = 10_000;

  /** SnakeYAML's implicit typing of plain scalars; read-only after construction. */
  private static final Resolver RESOLVER = new Resolver();

  private final Path file;
  private final Scalars scalars = new Scalars();

  YamlValues(Path file) {
    this.file = file;
  }

  /** Parses the text into a node tree, refusing text that holds no document or only null. */
  static Node parse(Path file, String text) throws AgentFileException {
    Node root;
    try {
      // The defaults bound nesting depth, alias expansion and document size.
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      // At the end of the text the useful line is where the unfinished construct began.
      boolean atEnd = String.valueOf(e.getProblem()).contains("end of stream");
      Mark mark =
          e.getProblemMark() != null && !(atEnd && e.getContextMark() != null)
              ? e.getProblemMark()
              : e.getContextMark();
      throw new AgentFileException(
          file, "", mark == null ? 0 : mark.getLine() + 1, syntaxProblem(e), e);
    } catch (ReaderException e) {
      throw new AgentFileException(
          file,
          "",
          lineAt(text, e.getPosition()),
          String.format(
              "contains the character U+%04X, which YAML does not allow; remove it",
              e.getCodePoint()),
          e);
    } catch (YAMLException e) {
      // The loader's limits: nesting depth, aliases to collections, document size.
      throw new AgentFileException(
          file,
          "",
          0,
          "YAML refuses the file: "
              + firstLine(e.getMessage())
              + "; an agent file needs only a few levels and aliases",
          e);
    }
    if (root == null || isNull(root)) {
      throw new AgentFileException(
          file,
          "",
          0,
          "the file is empty; an agent file needs at least a name and a model section");
    }
    return root;
  }

  private static String syntaxProblem(MarkedYAMLException e) {
    String problem = firstLine(e.getProblem());
    String context = e.getContext() == null ? "" : firstLine(e.getContext()) + ", ";
    String fix;
    if (problem.contains("found another document")) {
      fix = "an agent file holds a single YAML document; remove the extra '---'";
    } else if (problem.startsWith("found undefined alias")) {
      fix = "define the anchor with '&' before using it with '*'";
    } else if (problem.startsWith("Global tag is not allowed")) {
      fix = "remove the tag";
    } else {
      fix = "check the indentation, colons and quotes on this line and the one before";
    }
    return "YAML syntax error: " + context + problem + "; " + fix;
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("").strip();
  }

  /** The 1-based line of a code point offset; 0 when the offset is out of range. */
  private static int lineAt(String text, int codePointOffset) {
    if (codePointOffset < 0 || codePointOffset > text.codePointCount(0, text.length())) {
      return 0;
    }
    int end = text.offsetByCodePoints(0, codePointOffset);
    int line = 1;
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  Path file() {
    return file;
  }

  /** The 1-based line where the node starts. */
  static int line(Node node) {
    Mark mark = node.getStartMark();
    return mark == null ? 0 : mark.getLine() + 1;
  }

  AgentFileException error(String field, Node node, String problem) {
    return new AgentFileException(file, field, line(node), problem);
  }

  AgentFileException error(String field, int line, String problem) {
    return new AgentFileException(file, field, line, problem);
  }

  /** A type error: what the value must be, and what was found instead. */
  AgentFileException mustBe(String field, Node node, String rule) {
    String found = describe(node);
    if (node instanceof ScalarNode scalar
        && scalar.getTag().equals(Tag.STR)
        && !scalar.getValue().isEmpty()) {
      Tag unquoted = RESOLVER.resolve(NodeId.scalar, scalar.getValue(), true);
      if (unquoted.equals(Tag.INT) || unquoted.equals(Tag.FLOAT) || unquoted.equals(Tag.BOOL)) {
        found += "; write it without quotes";
      }
    }
    return error(field, node, "must be " + rule + "; found " + found);
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
  }

  /** A mapping of settings, with its keys checked. */
  YamlMap map(Node node, String field, int line, String rule) throws AgentFileException {
    if (!(node instanceof MappingNode mapping)) {
      throw mustBe(field, node, rule);
    }
    return new YamlMap(this, field, line, entries(mapping, field));
  }

  /** The entries of a mapping in file order, refusing keys that are not plain text. */
  Map<String, NodeTuple> entries(MappingNode mapping, String field) throws AgentFileException {
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode key)) {
        throw error(field, keyNode, "keys must be plain names; found " + describe(keyNode));
      }
      if (key.getTag().equals(Tag.MERGE)) {
        throw error(
            YamlMap.child(field, "<<"),
            keyNode,
            "merge keys ('<<') are not supported; write the settings out in full");
      }
      NodeTuple first = entries.putIfAbsent(key.getValue(), tuple);
      if (first != null) {
        throw error(
            YamlMap.child(field, key.getValue()),
            keyNode,
            "appears twice (first on line " + line(first.getKeyNode()) + "); keep only one");
      }
    }
    return entries;
  }

  /** Text: any scalar taken as written ({@code name: 4} is "4"); null when the value is empty. */
  String text(Node node, String field) throws AgentFileException {
    if (isNull(node)) {
      return null;
    }
    if (!(node instanceof ScalarNode scalar)) {
      throw mustBe(field, node, "text");
    }
    return scalar.getValue();
  }

  boolean bool(Node node, String field) throws AgentFileException {
    if (node instanceof ScalarNode scalar
        && scalar.getTag().equals(Tag.BOOL)
        && scalars.value(scalar) instanceof Boolean value) {
      return value;
    }
    throw mustBe(field, node, "true or false");
  }

  /** A whole number within [min, max]; {@code rule} says so in words for the error. */
  long integer(Node node, String field, long min, long max, String rule) throws AgentFileException {
    if (node instanceof ScalarNode scalar
        && scalar.getTag().equals(Tag.INT)
        && scalars.value(scalar) instanceof Number number) {
      BigInteger value =
          number instanceof BigInteger big ? big : BigInteger.valueOf(number.longValue());
      if (value.compareTo(BigInteger.valueOf(min)) >= 0
          && value.compareTo(BigInteger.valueOf(max)) <= 0) {
        return value.longValue();
      }
    }
    throw mustBe(field, node, rule);
  }

  /** A finite number within [min, max]; whole numbers count. */
  double number(Node node, String field, double min, double max, String rule)
      throws AgentFileException {
    Number number = numberOrNull(node);
    if (number != null) {
      double value = number.doubleValue();
      if (value >= min && value <= max) {
        return value;
      }
    }
    throw mustBe(field, node, rule);
  }

  /** The number a scalar holds as written (Integer, Long, BigInteger or Double), else null. */
  Number numberOrNull(Node node) {
    if (node instanceof ScalarNode scalar
        && (scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT))
        && scalars.value(scalar) instanceof Number number) {
      return number;
    }
    return null;
  }

  /**
   * A custom tool setting as plain Java data: String, Number, Boolean, or unmodifiable List and Map
   * of those. Empty values are refused because tool settings cannot hold null.
   */
  Object plain(Node node, String field) throws AgentFileException {
    return plain(node, field, Collections.newSetFromMap(new IdentityHashMap<>()), new int[1]);
  }

  private Object plain(Node node, String field, Set<Node> open, int[] count)
      throws AgentFileException {
    if (++count[0] > MAX_CONFIG_NODES) {
      throw error(
          field,
          node,
          "holds more than "
              + MAX_CONFIG_NODES
              + " values once its aliases are expanded; make it smaller");
    }
    if (!open.add(node)) {
      throw error(field, node, "contains itself through an alias; remove the loop");
    }
    try {
      switch (node) {
        case ScalarNode scalar -> {
          if (isNull(scalar)) {
            throw error(field, scalar, "has no value; give it one or remove it");
          }
          Tag tag = scalar.getTag();
          if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) || tag.equals(Tag.BOOL)) {
            Object value = scalars.value(scalar);
            if (value == null) {
              throw mustBe(
                  field, scalar, "a valid " + (tag.equals(Tag.BOOL) ? "boolean" : "number"));
            }
            return value;
          }
          return scalar.getValue();
        }
        case SequenceNode sequence -> {
          List<Object> items = new ArrayList<>();
          List<Node> nodes = sequence.getValue();
          for (int i = 0; i < nodes.size(); i++) {
            items.add(plain(nodes.get(i), field + "[" + i + "]", open, count));
          }
          return Collections.unmodifiableList(items);
        }
        case MappingNode mapping -> {
          Map<String, Object> values = new LinkedHashMap<>();
          for (Map.Entry<String, NodeTuple> entry : entries(mapping, field).entrySet()) {
            values.put(
                entry.getKey(),
                plain(
                    entry.getValue().getValueNode(),
                    YamlMap.child(field, entry.getKey()),
                    open,
                    count));
          }
          return Collections.unmodifiableMap(values);
        }
        default -> throw mustBe(field, node, "a value");
      }
    } finally {
      open.remove(node);
    }
  }

  /** What a value is, in words, for error messages. */
  static String describe(Node node) {
    return switch (node) {
      case MappingNode m -> "a mapping";
      case SequenceNode s -> "a list";
      case ScalarNode scalar -> {
        Tag tag = scalar.getTag();
        if (tag.equals(Tag.NULL)) {
          yield "no value";
        } else if (!tag.equals(RESOLVER.resolve(NodeId.scalar, scalar.getValue(), true))
            && !tag.equals(Tag.STR)) {
          // An explicit tag such as "!!int abc": do not call it a number.
          yield "the value " + quote(scalar.getValue());
        } else if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
          yield "the number " + quote(scalar.getValue());
        } else if (tag.equals(Tag.BOOL)) {
          yield "the boolean " + quote(scalar.getValue());
        } else if (tag.equals(Tag.STR)) {
          yield "the text " + quote(scalar.getValue());
        }
        yield "the value " + quote(scalar.getValue());
      }
      default -> "an unreadable value";
    };
  }

  /** A user's value for a message: quoted, shortened, on one line. */
  static String quote(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return "'" + shown.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "'";
  }

  /** SnakeYAML's own scalar rules (YAML 1.1: 0x1F, 1_000, yes/no, .inf) for core tags. */
  private static final class Scalars extends SafeConstructor {

    Scalars() {
      super(new LoaderOptions());
    }

    /** The constructed value, or null when the text does not fit the node's tag. */
    Object value(ScalarNode node) {
      try {
        return constructObject(node);
      } catch (RuntimeException e) {
        // An explicit tag on text that does not fit it, such as "!!int abc".
        return null;
      }
    }
  }
}
