package dev.codepilot.cli;

import dev.codepilot.cli.Suite.Case;
import dev.codepilot.cli.Suite.CommandCheck;
import dev.codepilot.cli.Suite.Expectations;
import dev.codepilot.cli.Suite.FileCheck;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ReplayModel;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a suite file. The YAML is read as SnakeYAML's node tree, whose nodes keep their lines, so
 * that every error names the field and the line at fault.
 */
final class SuiteFile {

  static final List<String> SUITE_KEYS = List.of("name", "agent", "cases");
  static final List<String> CASE_KEYS =
      List.of("name", "agent", "task", "cassette", "approve", "answers", "expect");
  static final List<String> EXPECT_KEYS =
      List.of(
          "finished",
          "summary_contains",
          "summary_matches",
          "files",
          "command",
          "max_steps",
          "max_tokens",
          "no_security_errors",
          "check");
  static final List<String> FILE_KEYS = List.of("exists", "contains", "equals", "matches");
  static final List<String> COMMAND_KEYS =
      List.of("run", "exit_code", "output_contains", "output_matches", "timeout");
  static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final Path file;

  private SuiteFile(Path file) {
    this.file = file;
  }

  /** Reads and checks the suite file; the agent and cassette files must exist. */
  public static Suite load(Path file) throws SuiteException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SuiteException(file, "", 0, "no such suite file");
    } catch (IOException e) {
      throw new SuiteException(file, "", 0, "cannot read the suite file: " + e.getMessage());
    }
    return new SuiteFile(file).read(text);
  }

  private Suite read(String text) throws SuiteException {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new SuiteException(
          file,
          "",
          mark == null ? 0 : mark.getLine() + 1,
          "YAML syntax error: "
              + firstLine(e.getProblem())
              + "; check the indentation, colons and quotes on this line and the one before");
    } catch (YAMLException e) {
      throw new SuiteException(file, "", 0, "YAML refuses the file: " + firstLine(e.getMessage()));
    }
    if (root == null || isNull(root)) {
      throw new SuiteException(file, "", 0, "the file is empty; a suite needs agent: and cases:");
    }
    Map<String, NodeTuple> suite = mapping(root, "", SUITE_KEYS);
    Path folder = file.toAbsolutePath().getParent();
    Path agent = null;
    if (suite.containsKey("agent")) {
      Node agentNode = suite.get("agent").getValueNode();
      agent = existingFile(folder, text(agentNode, "agent"), "agent", agentNode);
    }
    String name =
        suite.containsKey("name")
            ? text(suite.get("name").getValueNode(), "name")
            : file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    Node casesNode = required(suite, "cases", "", root);
    if (!(casesNode instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
      throw error("cases", casesNode, "must be a list of cases, each with a name and a task");
    }
    List<Case> cases = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      Case one = readCase(sequence.getValue().get(i), "cases[" + i + "]", folder, agent);
      if (!names.add(one.name())) {
        throw new SuiteException(
            file,
            "cases[" + i + "].name",
            one.line(),
            "another case is already named '" + one.name() + "'; case names must be unique");
      }
      cases.add(one);
    }
    return new Suite(file, name, cases);
  }

  private Case readCase(Node node, String field, Path folder, Path suiteAgent)
      throws SuiteException {
    Map<String, NodeTuple> map = mapping(node, field, CASE_KEYS);
    String name = text(required(map, "name", field, node), field + ".name");
    if (name.isBlank()) {
      throw error(field + ".name", map.get("name").getValueNode(), "must not be empty");
    }
    Path agent = suiteAgent;
    if (map.containsKey("agent")) {
      Node value = map.get("agent").getValueNode();
      agent = existingFile(folder, text(value, field + ".agent"), field + ".agent", value);
    } else if (agent == null) {
      throw error(
          field + ".agent",
          node,
          "is required when the suite has no agent: of its own;"
              + " name the agent file at the top (agent: \"./agent.yaml\") or in each case");
    }
    List<String> tasks = texts(required(map, "task", field, node), field + ".task");
    if (tasks.isEmpty()) {
      throw error(
          field + ".task",
          map.get("task").getValueNode(),
          "must be a task, or a list of tasks run in turn in one conversation");
    }
    Optional<Path> cassette = Optional.empty();
    if (map.containsKey("cassette")) {
      Node value = map.get("cassette").getValueNode();
      Path path =
          existingFile(folder, text(value, field + ".cassette"), field + ".cassette", value);
      try {
        ReplayModel.fromCassette(path);
      } catch (ModelException e) {
        throw error(field + ".cassette", value, "not a usable cassette: " + e.getMessage());
      }
      cassette = Optional.of(path);
    }
    boolean approve =
        map.containsKey("approve") && bool(map.get("approve").getValueNode(), field + ".approve");
    List<String> answers =
        map.containsKey("answers")
            ? texts(map.get("answers").getValueNode(), field + ".answers")
            : List.of();
    Expectations expect =
        map.containsKey("expect")
            ? readExpect(map.get("expect").getValueNode(), field + ".expect")
            : new Expectations(
                Optional.empty(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                OptionalInt.empty(),
                OptionalLong.empty(),
                false,
                List.of());
    return new Case(name, agent, tasks, cassette, approve, answers, expect, line(node));
  }

  private Expectations readExpect(Node node, String field) throws SuiteException {
    Map<String, NodeTuple> map = mapping(node, field, EXPECT_KEYS);
    Optional<Boolean> finished =
        map.containsKey("finished")
            ? Optional.of(bool(map.get("finished").getValueNode(), field + ".finished"))
            : Optional.empty();
    List<String> summaryContains = optionalTexts(map, "summary_contains", field);
    List<Pattern> summaryMatches = patterns(map, "summary_matches", field);
    List<FileCheck> files = new ArrayList<>();
    if (map.containsKey("files")) {
      String filesField = field + ".files";
      Map<String, NodeTuple> fileMap = mapping(map.get("files").getValueNode(), filesField, null);
      for (Map.Entry<String, NodeTuple> entry : fileMap.entrySet()) {
        files.add(readFile(entry.getKey(), entry.getValue(), filesField + "." + entry.getKey()));
      }
    }
    List<CommandCheck> commands = new ArrayList<>();
    if (map.containsKey("command")) {
      Node value = map.get("command").getValueNode();
      if (value instanceof SequenceNode list) {
        for (int i = 0; i < list.getValue().size(); i++) {
          commands.add(readCommand(list.getValue().get(i), field + ".command[" + i + "]"));
        }
      } else {
        commands.add(readCommand(value, field + ".command"));
      }
    }
    OptionalInt maxSteps =
        map.containsKey("max_steps")
            ? OptionalInt.of(
                (int)
                    positive(
                        map.get("max_steps").getValueNode(),
                        field + ".max_steps",
                        Integer.MAX_VALUE))
            : OptionalInt.empty();
    OptionalLong maxTokens =
        map.containsKey("max_tokens")
            ? OptionalLong.of(
                positive(
                    map.get("max_tokens").getValueNode(), field + ".max_tokens", Long.MAX_VALUE))
            : OptionalLong.empty();
    boolean noSecurityErrors =
        map.containsKey("no_security_errors")
            && bool(map.get("no_security_errors").getValueNode(), field + ".no_security_errors");
    List<String> checks = optionalTexts(map, "check", field);
    return new Expectations(
        finished,
        summaryContains,
        summaryMatches,
        files,
        commands,
        maxSteps,
        maxTokens,
        noSecurityErrors,
        checks);
  }

  private FileCheck readFile(String path, NodeTuple tuple, String field) throws SuiteException {
    Path relative = Path.of(path).normalize();
    if (path.isBlank() || relative.isAbsolute() || relative.startsWith("..")) {
      throw error(
          field,
          tuple.getKeyNode(),
          "must be a path relative to the agent's work_dir, and inside it");
    }
    Node value = tuple.getValueNode();
    if (isNull(value)) {
      return new FileCheck(path, true, List.of(), Optional.empty(), List.of());
    }
    Map<String, NodeTuple> map = mapping(value, field, FILE_KEYS);
    boolean exists =
        !map.containsKey("exists") || bool(map.get("exists").getValueNode(), field + ".exists");
    List<String> contains = optionalTexts(map, "contains", field);
    Optional<String> equals =
        map.containsKey("equals")
            ? Optional.of(text(map.get("equals").getValueNode(), field + ".equals"))
            : Optional.empty();
    List<Pattern> matches = patterns(map, "matches", field);
    if (!exists && (!contains.isEmpty() || equals.isPresent() || !matches.isEmpty())) {
      throw error(
          field + ".exists",
          map.get("exists").getValueNode(),
          "a file that must not exist cannot have contains, equals or matches checks");
    }
    return new FileCheck(path, exists, contains, equals, matches);
  }

  private CommandCheck readCommand(Node node, String field) throws SuiteException {
    Map<String, NodeTuple> map = mapping(node, field, COMMAND_KEYS);
    String run = text(required(map, "run", field, node), field + ".run");
    if (run.isBlank()) {
      throw error(field + ".run", map.get("run").getValueNode(), "must not be empty");
    }
    int exitCode = 0;
    if (map.containsKey("exit_code")) {
      Node value = map.get("exit_code").getValueNode();
      exitCode = (int) integer(value, field + ".exit_code", 0, 255);
    }
    Duration timeout =
        map.containsKey("timeout")
            ? Duration.ofSeconds(
                positive(map.get("timeout").getValueNode(), field + ".timeout", 86_400))
            : DEFAULT_COMMAND_TIMEOUT;
    return new CommandCheck(
        run,
        exitCode,
        optionalTexts(map, "output_contains", field),
        patterns(map, "output_matches", field),
        timeout);
  }

  // ---- typed values ----

  /** The mapping's entries in file order; with {@code valid}, refuses any other key. */
  private Map<String, NodeTuple> mapping(Node node, String field, List<String> valid)
      throws SuiteException {
    if (!(node instanceof MappingNode mapping)) {
      throw error(
          field.isEmpty() ? "" : field,
          node,
          "must be a mapping of keys to values"
              + (valid == null ? "" : " (" + String.join(", ", valid) + ")")
              + "; found "
              + describe(node));
    }
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        throw error(field, tuple.getKeyNode(), "keys must be plain text");
      }
      String name = key.getValue();
      String where = field.isEmpty() ? name : field + "." + name;
      if (entries.containsKey(name)) {
        throw error(where, key, "is given twice; remove one");
      }
      if (valid != null && !valid.contains(name)) {
        throw error(
            where,
            key,
            "unknown key '"
                + name
                + "'; valid keys "
                + (field.isEmpty() ? "at the top" : "under " + field)
                + ": "
                + String.join(", ", valid));
      }
      entries.put(name, tuple);
    }
    return entries;
  }

  private Node required(Map<String, NodeTuple> map, String key, String field, Node parent)
      throws SuiteException {
    NodeTuple tuple = map.get(key);
    if (tuple == null) {
      throw error(field.isEmpty() ? key : field + "." + key, parent, "is required");
    }
    return tuple.getValueNode();
  }

  private String text(Node node, String field) throws SuiteException {
    if (!(node instanceof ScalarNode scalar) || isNull(node)) {
      throw error(field, node, "must be text; found " + describe(node));
    }
    return scalar.getValue();
  }

  /** One text, or a list of texts. */
  private List<String> texts(Node node, String field) throws SuiteException {
    if (node instanceof SequenceNode sequence) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < sequence.getValue().size(); i++) {
        values.add(text(sequence.getValue().get(i), field + "[" + i + "]"));
      }
      return values;
    }
    return List.of(text(node, field));
  }

  private List<String> optionalTexts(Map<String, NodeTuple> map, String key, String field)
      throws SuiteException {
    return map.containsKey(key) ? texts(map.get(key).getValueNode(), field + "." + key) : List.of();
  }

  private List<Pattern> patterns(Map<String, NodeTuple> map, String key, String field)
      throws SuiteException {
    if (!map.containsKey(key)) {
      return List.of();
    }
    List<Pattern> patterns = new ArrayList<>();
    for (String regex : texts(map.get(key).getValueNode(), field + "." + key)) {
      try {
        patterns.add(Pattern.compile(regex, Pattern.MULTILINE));
      } catch (PatternSyntaxException e) {
        throw error(
            field + "." + key,
            map.get(key).getValueNode(),
            "is not a valid regular expression: "
                + firstLine(e.getDescription())
                + " near index "
                + e.getIndex()
                + " of '"
                + regex
                + "'");
      }
    }
    return patterns;
  }

  private boolean bool(Node node, String field) throws SuiteException {
    if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
      String value = scalar.getValue().toLowerCase(Locale.ROOT);
      return value.equals("true") || value.equals("yes") || value.equals("on");
    }
    throw error(field, node, "must be true or false; found " + describe(node));
  }

  private long positive(Node node, String field, long max) throws SuiteException {
    return integer(node, field, 1, max);
  }

  private long integer(Node node, String field, long min, long max) throws SuiteException {
    if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
      try {
        long value = Long.parseLong(scalar.getValue().replace("_", ""));
        if (value >= min && value <= max) {
          return value;
        }
      } catch (NumberFormatException e) {
        // Out of range: reported below.
      }
    }
    throw error(
        field,
        node,
        "must be a whole number from "
            + min
            + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? " up" : " to " + max)
            + "; found "
            + describe(node));
  }

  private Path existingFile(Path folder, String value, String field, Node node)
      throws SuiteException {
    Path path = folder.resolve(value).normalize();
    if (!Files.isRegularFile(path)) {
      throw error(
          field,
          node,
          "no such file: " + path + " (paths are relative to the suite file's folder)");
    }
    return path;
  }

  private SuiteException error(String field, Node node, String problem) {
    return new SuiteException(file, field, line(node), problem);
  }

  private static int line(Node node) {
    Mark mark = node.getStartMark();
    return mark == null ? 0 : mark.getLine() + 1;
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
  }

  private static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (isNull(node)) {
      return "nothing";
    }
    ScalarNode scalar = (ScalarNode) node;
    String kind = scalar.getTag().equals(Tag.STR) ? "the text" : "the value";
    String value = scalar.getValue();
    return kind + " '" + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'";
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("").strip();
  }
}
