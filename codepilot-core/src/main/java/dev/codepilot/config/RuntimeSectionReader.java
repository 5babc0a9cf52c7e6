package dev.codepilot.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the agent file's {@code runtime:} section with its {@code shell:} and {@code context:}
 * parts. It resolves {@code work_dir} but does not create it; it remembers where the file set it,
 * for {@link WorkDirs} to report a folder that cannot be made.
 */
final class RuntimeSectionReader {

  static final List<String> RUNTIME_KEYS =
      List.of(
          "work_dir",
          "max_steps",
          "unsafe_mode",
          "allowed_imports",
          "exec_timeout",
          "max_output_chars",
          "shell",
          "context");
  static final List<String> CONTEXT_KEYS =
      List.of("enabled", "keep_recent", "result_chars", "window_tokens", "summarize_at");
  static final List<String> SHELL_KEYS = List.of("confine", "network", "env", "limits");
  static final List<String> LIMIT_KEYS =
      List.of("processes", "open_files", "file_size_mb", "cpu_seconds");

  static final String DEFAULT_WORK_DIR = "./workspace";

  private final YamlValues values;
  private final AgentFilePaths paths;
  private String workDirField = "";
  private int workDirLine;

  RuntimeSectionReader(YamlValues values, AgentFilePaths paths) {
    this.values = values;
    this.paths = paths;
  }

  /** The field of {@code work_dir} as read, such as {@code agent.runtime.work_dir}. */
  String workDirField() {
    return workDirField;
  }

  /** The line of the {@code work_dir} value, or of the section that would hold it. */
  int workDirLine() {
    return workDirLine;
  }

  RuntimeConfig read(YamlMap agent) throws AgentFileException {
    YamlMap runtime =
        agent
            .map("runtime", "a mapping of runtime settings (work_dir:, ...)")
            .orElse(new YamlMap(values, agent.field("runtime"), agent.line(), Map.of()));
    runtime.allowOnly(RUNTIME_KEYS, "under " + runtime.field());

    workDirField = runtime.field("work_dir");
    workDirLine = runtime.line();
    Path workDir = paths.resolve(DEFAULT_WORK_DIR, workDirField, null);
    Optional<Node> workDirNode = runtime.get("work_dir");
    if (workDirNode.isPresent()) {
      String field = workDirField;
      workDirLine = YamlValues.line(workDirNode.get());
      String text = values.text(workDirNode.get(), field);
      if (text.isBlank()) {
        throw values.error(
            field, workDirNode.get(), "must not be blank; give a folder path, like ./workspace");
      }
      workDir = paths.resolve(text, field, workDirNode.get());
      if (Files.exists(workDir) && !Files.isDirectory(workDir)) {
        throw values.error(
            field,
            workDirNode.get(),
            workDir + " is a file, not a folder;" + " choose another work_dir");
      }
    }
    int maxSteps = runtime.integer("max_steps", RuntimeConfig.DEFAULT_MAX_STEPS, 1);
    boolean unsafeMode = runtime.bool("unsafe_mode", false);
    List<String> allowedImports = allowedImports(runtime);
    Duration execTimeout = runtime.seconds("exec_timeout", RuntimeConfig.DEFAULT_EXEC_TIMEOUT);
    int maxOutputChars =
        runtime.integer("max_output_chars", RuntimeConfig.DEFAULT_MAX_OUTPUT_CHARS, 100);
    return new RuntimeConfig(
        workDir,
        maxSteps,
        unsafeMode,
        allowedImports,
        execTimeout,
        maxOutputChars,
        shell(runtime),
        context(runtime));
  }

  private ContextConfig context(YamlMap runtime) throws AgentFileException {
    Optional<YamlMap> found =
        runtime.map(
            "context",
            "a mapping of context settings (enabled:,"
                + " keep_recent:, result_chars:, window_tokens:, summarize_at:)");
    if (found.isEmpty()) {
      return ContextConfig.DEFAULT;
    }
    YamlMap context = found.get();
    context.allowOnly(CONTEXT_KEYS, "under " + context.field());
    boolean enabled = context.bool("enabled", true);
    int keepRecent = context.integer("keep_recent", ContextConfig.DEFAULT_KEEP_RECENT, 1);
    int resultChars = context.integer("result_chars", ContextConfig.DEFAULT_RESULT_CHARS, 0);
    OptionalInt window = OptionalInt.empty();
    Optional<Node> windowNode = context.get("window_tokens");
    if (windowNode.isPresent() && !YamlValues.isNull(windowNode.get())) {
      window =
          OptionalInt.of(
              (int)
                  values.integer(
                      windowNode.get(),
                      context.field("window_tokens"),
                      1000,
                      Integer.MAX_VALUE,
                      "a whole number of tokens of at least 1000, like 200000"));
    }
    double summarizeAt = ContextConfig.DEFAULT_SUMMARIZE_AT;
    Optional<Node> shareNode = context.get("summarize_at");
    if (shareNode.isPresent()) {
      summarizeAt =
          values.number(
              shareNode.get(),
              context.field("summarize_at"),
              0.01,
              1.0,
              "a share of the window between 0.01 and 1.0, like 0.75");
    }
    return new ContextConfig(enabled, keepRecent, resultChars, window, summarizeAt);
  }

  private ShellConfig shell(YamlMap runtime) throws AgentFileException {
    Optional<YamlMap> found =
        runtime.map("shell", "a mapping of shell settings (confine:, network:, env:, limits:)");
    if (found.isEmpty()) {
      return ShellConfig.DEFAULT;
    }
    YamlMap shell = found.get();
    shell.allowOnly(SHELL_KEYS, "under " + shell.field());
    ShellConfig.Confine confine = ShellConfig.Confine.AUTO;
    Optional<Node> confineNode = shell.get("confine");
    if (confineNode.isPresent()) {
      String field = shell.field("confine");
      String text = values.text(confineNode.get(), field);
      List<String> names =
          Stream.of(ShellConfig.Confine.values()).map(ShellConfig.Confine::yamlName).toList();
      if (!names.contains(text)) {
        String hint = Names.closest(text, names).map(k -> "; did you mean '" + k + "'?").orElse("");
        throw values.error(
            field,
            confineNode.get(),
            "must be one of auto, always, never; found "
                + YamlValues.describe(confineNode.get())
                + hint);
      }
      confine = ShellConfig.Confine.valueOf(text.toUpperCase(Locale.ROOT));
    }
    boolean network = shell.bool("network", false);
    return new ShellConfig(confine, network, shellEnv(shell), limits(shell));
  }

  private ShellConfig.Limits limits(YamlMap shell) throws AgentFileException {
    Optional<YamlMap> found =
        shell.map(
            "limits", "a mapping of limits (processes:, open_files:, file_size_mb:, cpu_seconds:)");
    if (found.isEmpty()) {
      return ShellConfig.Limits.DEFAULT;
    }
    YamlMap limits = found.get();
    limits.allowOnly(LIMIT_KEYS, "under " + limits.field());
    int processes = limits.integer("processes", ShellConfig.Limits.DEFAULT_PROCESSES, 1);
    int openFiles = limits.integer("open_files", ShellConfig.Limits.DEFAULT_OPEN_FILES, 1);
    long fileSize =
        limits.integer("file_size_mb", (int) (ShellConfig.Limits.DEFAULT_FILE_SIZE_BYTES >> 20), 1)
            * (1L << 20);
    OptionalLong cpu =
        limits.has("cpu_seconds") && limits.get("cpu_seconds").isPresent()
            ? OptionalLong.of(limits.integer("cpu_seconds", 1, 1))
            : OptionalLong.empty();
    return new ShellConfig.Limits(processes, openFiles, fileSize, cpu);
  }

  private Map<String, String> shellEnv(YamlMap shell) throws AgentFileException {
    Optional<YamlMap> found =
        shell.map("env", "a mapping of variable names to values, like {GOFLAGS: -mod=mod}");
    if (found.isEmpty()) {
      return Map.of();
    }
    YamlMap env = found.get();
    Map<String, String> variables = new HashMap<>();
    for (String name : env.keys()) {
      if (!Names.isEnvironmentName(name)) {
        throw values.error(
            env.field(name),
            env.keyLine(name),
            "is not a variable name; use"
                + " letters, digits and '_', starting with a letter or '_', like GOFLAGS");
      }
      Optional<Node> value = env.get(name);
      String text = value.isEmpty() ? "" : values.text(value.get(), env.field(name));
      if (text == null || text.indexOf('\0') >= 0) {
        throw values.mustBe(env.field(name), value.orElseThrow(), "text without NUL characters");
      }
      variables.put(name, text);
    }
    return variables;
  }

  private List<String> allowedImports(YamlMap runtime) throws AgentFileException {
    Optional<Node> node = runtime.get("allowed_imports");
    if (node.isEmpty()) {
      return RuntimeConfig.DEFAULT_ALLOWED_IMPORTS;
    }
    String field = runtime.field("allowed_imports");
    if (!(node.get() instanceof SequenceNode list)) {
      throw values.mustBe(field, node.get(), "a list of module names, like [re, json]");
    }
    List<String> modules = new ArrayList<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      Node item = list.getValue().get(i);
      String itemField = field + "[" + i + "]";
      String module = values.text(item, itemField);
      if (module == null || !Names.isModuleName(module)) {
        throw values.mustBe(itemField, item, "a Python module name, like json or os.path");
      }
      Optional<String> refusal = RuntimeConfig.importRefusal(module);
      if (refusal.isPresent()) {
        throw values.error(itemField, item, refusal.get());
      }
      modules.add(module);
    }
    return modules;
  }
}
