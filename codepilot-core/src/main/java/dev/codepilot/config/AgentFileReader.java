package dev.codepilot.config;

import dev.codepilot.model.ModelConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Applies the agent file's rules to its YAML tree and builds the {@link AgentConfig}. */
final class AgentFileReader {

  static final List<String> AGENT_KEYS =
      List.of("name", "role", "system_prompt", "model", "runtime", "tools", "mcp_servers",
          "agents", "session");
  static final List<String> SESSION_KEYS = List.of("backend", "url", "user", "password");
  static final List<String> SESSION_BACKENDS = List.of("memory", "file", "postgres");
  static final List<String> MODEL_KEYS = List.of("provider", "name", "api_key_env", "temperature",
      "max_tokens", "cassette", "base_url", "request_timeout", "max_retries");
  static final List<String> RUNTIME_KEYS = List.of("work_dir", "max_steps", "unsafe_mode",
      "allowed_imports", "exec_timeout", "max_output_chars", "shell", "context");
  static final List<String> CONTEXT_KEYS =
      List.of("enabled", "keep_recent", "result_chars", "window_tokens", "summarize_at");
  static final List<String> SHELL_KEYS = List.of("confine", "network", "env", "limits");
  static final List<String> LIMIT_KEYS =
      List.of("processes", "open_files", "file_size_mb", "cpu_seconds");
  static final List<String> TOOL_KEYS = List.of("name", "enabled", "config");

  /** The built-in tools and the settings each one reads; other names are the user's tools. */
  static final Map<String, List<String>> BUILT_IN_TOOLS = Map.of(
      "write_file", List.of("require_permission"),
      "read_file", List.of("require_permission"),
      "run_command", List.of("require_permission", "timeout"),
      "ask_user", List.of("require_permission"),
      "think", List.of(),
      "done", List.of());

  /** Without these the model can neither talk to the user nor finish a run. */
  static final Set<String> ALWAYS_ENABLED = ToolConfig.ALWAYS_ENABLED;

  static final String DEFAULT_WORK_DIR = "./workspace";

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  private static final String SECONDS = "a number of seconds of at least 0.001, like 30 or 2.5";

  private final Path file;
  private final Path dir;
  private final YamlValues values;
  private String workDirField = "";
  private int workDirLine;

  private final List<Path> chain;
  /** The names model.provider may take; the caller knows them, this reader loads nothing. */
  private final Set<String> providerNames;

  AgentFileReader(Path file, Set<String> providerNames) {
    this(file, List.of(file.toAbsolutePath().normalize()), providerNames);
  }

  /** A reader for a file loaded as a sub-agent: {@code chain} holds the files around it. */
  AgentFileReader(Path file, List<Path> chain, Set<String> providerNames) {
    this.file = file;
    this.dir = file.toAbsolutePath().normalize().getParent();
    this.values = new YamlValues(file);
    this.chain = List.copyOf(chain);
    this.providerNames = new TreeSet<>(providerNames);
  }

  AgentConfig read(Node root) throws AgentFileException {
    YamlMap agent = agentSection(root);
    String name = agent.requiredText("name", "the agent's name, like BackendEngineer");
    String role = agent.text("role").orElse("");
    String systemPrompt = systemPrompt(agent);
    ModelConfig model = model(agent);
    RuntimeConfig runtime = runtime(agent);
    List<ToolConfig> tools = tools(agent);
    List<McpServerConfig> mcpServers =
        new McpServersReader(values, dir, System::getenv).read(agent);
    List<String> taken = new ArrayList<>();
    tools.forEach(tool -> taken.add(tool.name()));
    mcpServers.forEach(server -> taken.add(server.name()));
    BUILT_IN_TOOLS.keySet().forEach(taken::add);
    List<SubAgentConfig> agents = new SubAgentsReader(values, dir, chain, providerNames).read(agent, taken);
    Optional<SessionConfig> session = session(agent);
    createWorkDir(runtime.workDir());
    return new AgentConfig(name, role, systemPrompt, model, runtime, tools,
        Optional.of(file.toAbsolutePath().normalize()), mcpServers, agents, session);
  }

  private Optional<SessionConfig> session(YamlMap agent) throws AgentFileException {
    Optional<YamlMap> found = agent.map("session",
        "a mapping of session settings (backend:, url:, user:, password:)");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    YamlMap session = found.get();
    session.allowOnly(SESSION_KEYS, "under " + session.field());
    String backendField = session.field("backend");
    Node backendNode = session.require("backend", "one of " + String.join(", ", SESSION_BACKENDS));
    String backend = values.text(backendNode, backendField);
    if (!SESSION_BACKENDS.contains(backend)) {
      String hint = Names.closest(backend, SESSION_BACKENDS)
          .map(k -> "; did you mean '" + k + "'?").orElse("");
      throw values.error(backendField, backendNode, "must be one of "
          + String.join(", ", SESSION_BACKENDS) + "; found " + YamlValues.describe(backendNode)
          + hint);
    }
    if (!backend.equals("postgres")) {
      for (String key : List.of("url", "user", "password")) {
        if (session.has(key)) {
          throw values.error(session.field(key), session.keyLine(key), "only the postgres"
              + " backend reads it; remove it, or set backend: postgres");
        }
      }
      return Optional.of(new SessionConfig(backend, "", Optional.empty(), Optional.empty()));
    }
    String url = session.requiredText("url", "the database's JDBC URL, like"
        + " \"jdbc:postgresql://db.internal:5432/codepilot\"");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw values.error(session.field("url"), session.get("url").orElseThrow(),
          "must be a PostgreSQL JDBC URL starting with jdbc:postgresql:, like"
              + " jdbc:postgresql://db.internal:5432/codepilot");
    }
    Optional<String> user = session.text("user").filter(s -> !s.isBlank());
    Optional<String> password = Optional.empty();
    Optional<Node> passwordNode = session.get("password");
    if (passwordNode.isPresent()) {
      password = Optional.of(withEnvironment(
          values.text(passwordNode.get(), session.field("password")),
          session.field("password"), passwordNode.get()));
    }
    return Optional.of(new SessionConfig(backend, url, user, password));
  }

  /**
   * {@code text} with every {@code ${NAME}} replaced by that environment variable, so that a
   * password need not be written into the agent file.
   */
  private String withEnvironment(String text, String field, Node node)
      throws AgentFileException {
    Matcher matcher = ENV_REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      if (!ENV_NAME.matcher(name).matches()) {
        throw values.error(field, node, "${" + name + "} is not an environment variable"
            + " name; write ${NAME} with letters, digits and _");
      }
      String value = System.getenv(name);
      if (value == null) {
        throw values.error(field, node, "names the environment variable " + name
            + ", which is not set; set it before starting the agent");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** The settings mapping: under {@code agent:} in the nested form, the file itself when flat. */
  private YamlMap agentSection(Node root) throws AgentFileException {
    YamlMap top = values.map(root, "", YamlValues.line(root),
        "a mapping of settings, starting with 'agent:' or 'name:'");
    if (!top.has("agent")) {
      top.allowOnly(concat(AGENT_KEYS, "agent"), "at the top level");
      return top;
    }
    Optional<String> stray = top.firstKeyOutside(List.of("agent"));
    if (stray.isPresent() && AGENT_KEYS.contains(stray.get())) {
      throw values.error(stray.get(), top.keyLine(stray.get()),
          "belongs under 'agent:'; indent it like the other agent settings");
    }
    top.allowOnly(List.of("agent"), "at the top level (the other settings go under it)");
    YamlMap agent = top.map("agent", "a mapping of the agent's settings (name:, model:, ...)")
        .orElseThrow(() -> values.error("agent", top.keyLine("agent"),
            "is empty; put the agent's settings under it, starting with name: and model:"));
    agent.allowOnly(AGENT_KEYS, "under agent");
    return agent;
  }

  private String systemPrompt(YamlMap agent) throws AgentFileException {
    Optional<String> value = agent.text("system_prompt");
    if (value.isEmpty() || !namesFile(value.get())) {
      return value.orElse("");
    }
    String text = value.get();
    String field = agent.field("system_prompt");
    Node node = agent.get("system_prompt").orElseThrow();
    Path path = resolve(text, field, node);
    boolean explicit = text.startsWith("./") || text.startsWith("../");
    if (!Files.exists(path) && !explicit && text.chars().anyMatch(Character::isWhitespace)) {
      // A sentence that happens to end in ".txt" is prompt text, not a file name.
      return text;
    }
    if (Files.isDirectory(path)) {
      throw values.error(field, node, "prompt file " + path + " is a folder; name a .md or .txt"
          + " file, or write the prompt text itself");
    }
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw values.error(field, node, "prompt file " + path + " does not exist (paths are"
          + " relative to " + dir + "); fix the path, or write the prompt text itself");
    } catch (CharacterCodingException e) {
      throw values.error(field, node, "prompt file " + path + " is not UTF-8 text; save it as"
          + " UTF-8");
    } catch (IOException e) {
      throw values.error(field, node, "prompt file " + path + " cannot be read ("
          + reason(e) + "); check the file and its permissions");
    }
  }

  /** Whether a system_prompt value names a file rather than being the prompt itself. */
  private static boolean namesFile(String value) {
    if (value.isBlank() || value.contains("\n") || value.contains("\r")) {
      return false;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    return value.startsWith("./") || value.startsWith("../") || value.startsWith("/")
        || lower.endsWith(".md") || lower.endsWith(".txt");
  }

  private ModelConfig model(YamlMap agent) throws AgentFileException {
    Node node = agent.require("model", "a mapping with provider: and name:");
    YamlMap model = values.map(node, agent.field("model"), agent.keyLine("model"),
        "a mapping of model settings (provider:, name:, ...)");
    model.allowOnly(MODEL_KEYS, "under " + model.field());

    Set<String> known = providerNames;
    String providerField = model.field("provider");
    Node providerNode = model.require("provider", "one of " + String.join(", ", known));
    String provider = values.text(providerNode, providerField);
    if (!known.contains(provider)) {
      String hint = Names.closest(provider, known)
          .map(k -> "did you mean '" + k + "'? ").orElse("");
      throw values.error(providerField, providerNode, "unknown provider "
          + YamlValues.quote(provider) + "; " + hint + "known providers: "
          + String.join(", ", known));
    }
    boolean replay = provider.equals("replay");

    String name = replay ? model.text("name").orElse("")
        : model.requiredText("name", "the model name the provider expects, like gpt-4o");

    Optional<String> apiKeyEnv = model.text("api_key_env").filter(s -> !s.isBlank());
    if (apiKeyEnv.isPresent() && !ENV_NAME.matcher(apiKeyEnv.get()).matches()) {
      // Never echo the value: it may well be the key itself.
      throw values.error(model.field("api_key_env"), model.get("api_key_env").orElseThrow(),
          "must be the name of the environment variable holding the key, like "
              + "ANTHROPIC_API_KEY, not the key itself");
    }

    double temperature = ModelConfig.DEFAULT_TEMPERATURE;
    Optional<Node> temperatureNode = model.get("temperature");
    if (temperatureNode.isPresent()) {
      temperature = values.number(temperatureNode.get(), model.field("temperature"), 0, 2,
          "a number from 0 to 2");
    }
    int maxTokens = model.integer("max_tokens", ModelConfig.DEFAULT_MAX_TOKENS, 1);

    Optional<Path> cassette = Optional.empty();
    String cassetteField = model.field("cassette");
    if (replay) {
      Node cassetteNode = model.require("cassette",
          "the replay cassette's path (JSON, relative to this file)");
      cassette = Optional.of(existingFile(model, "cassette", cassetteNode, "cassette"));
    } else if (model.has("cassette")) {
      throw values.error(cassetteField, model.keyLine("cassette"),
          "only the replay provider reads a cassette; remove it, or set provider: replay");
    }

    Optional<URI> baseUrl = Optional.empty();
    Optional<Node> baseUrlNode = model.get("base_url");
    if (baseUrlNode.isPresent()) {
      if (replay) {
        throw values.error(model.field("base_url"), baseUrlNode.get(),
            "the replay provider makes no HTTP requests; remove base_url");
      }
      baseUrl = Optional.of(httpUrl(baseUrlNode.get(), model.field("base_url")));
    }

    Duration requestTimeout = seconds(model, "request_timeout",
        ModelConfig.DEFAULT_REQUEST_TIMEOUT);
    int maxRetries = model.integer("max_retries", ModelConfig.DEFAULT_MAX_RETRIES, 0);
    ModelConfig.Builder config = ModelConfig.builder()
        .provider(provider)
        .name(name)
        .temperature(temperature)
        .maxTokens(maxTokens)
        .requestTimeout(requestTimeout)
        .maxRetries(maxRetries);
    apiKeyEnv.ifPresent(config::apiKeyEnv);
    cassette.ifPresent(config::cassette);
    baseUrl.ifPresent(config::baseUrl);
    return config.build();
  }

  private URI httpUrl(Node node, String field) throws AgentFileException {
    String text = values.text(node, field);
    String rule = "must be an absolute http or https URL, like http://localhost:11434/v1; found "
        + YamlValues.describe(node);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw values.error(field, node, rule);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw values.error(field, node, rule);
    }
    return uri;
  }

  private RuntimeConfig runtime(YamlMap agent) throws AgentFileException {
    YamlMap runtime = agent.map("runtime", "a mapping of runtime settings (work_dir:, ...)")
        .orElse(new YamlMap(values, agent.field("runtime"), agent.line(), Map.of()));
    runtime.allowOnly(RUNTIME_KEYS, "under " + runtime.field());

    workDirField = runtime.field("work_dir");
    workDirLine = runtime.line();
    Path workDir = resolve(DEFAULT_WORK_DIR, workDirField, null);
    Optional<Node> workDirNode = runtime.get("work_dir");
    if (workDirNode.isPresent()) {
      String field = workDirField;
      workDirLine = YamlValues.line(workDirNode.get());
      String text = values.text(workDirNode.get(), field);
      if (text.isBlank()) {
        throw values.error(field, workDirNode.get(),
            "must not be blank; give a folder path, like ./workspace");
      }
      workDir = resolve(text, field, workDirNode.get());
      if (Files.exists(workDir) && !Files.isDirectory(workDir)) {
        throw values.error(field, workDirNode.get(), workDir + " is a file, not a folder;"
            + " choose another work_dir");
      }
    }
    int maxSteps = runtime.integer("max_steps", RuntimeConfig.DEFAULT_MAX_STEPS, 1);
    boolean unsafeMode = runtime.bool("unsafe_mode", false);
    List<String> allowedImports = allowedImports(runtime);
    Duration execTimeout = seconds(runtime, "exec_timeout", RuntimeConfig.DEFAULT_EXEC_TIMEOUT);
    int maxOutputChars = runtime.integer("max_output_chars",
        RuntimeConfig.DEFAULT_MAX_OUTPUT_CHARS, 100);
    return new RuntimeConfig(workDir, maxSteps, unsafeMode, allowedImports, execTimeout,
        maxOutputChars, shell(runtime), context(runtime));
  }

  private ContextConfig context(YamlMap runtime) throws AgentFileException {
    Optional<YamlMap> found = runtime.map("context", "a mapping of context settings (enabled:,"
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
      window = OptionalInt.of((int) values.integer(windowNode.get(),
          context.field("window_tokens"), 1000, Integer.MAX_VALUE,
          "a whole number of tokens of at least 1000, like 200000"));
    }
    double summarizeAt = ContextConfig.DEFAULT_SUMMARIZE_AT;
    Optional<Node> shareNode = context.get("summarize_at");
    if (shareNode.isPresent()) {
      summarizeAt = values.number(shareNode.get(), context.field("summarize_at"), 0.01, 1.0,
          "a share of the window between 0.01 and 1.0, like 0.75");
    }
    return new ContextConfig(enabled, keepRecent, resultChars, window, summarizeAt);
  }

  private ShellConfig shell(YamlMap runtime) throws AgentFileException {
    Optional<YamlMap> found = runtime.map("shell",
        "a mapping of shell settings (confine:, network:, env:, limits:)");
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
      List<String> names = Stream.of(ShellConfig.Confine.values())
          .map(ShellConfig.Confine::yamlName).toList();
      if (!names.contains(text)) {
        String hint = Names.closest(text, names).map(k -> "; did you mean '" + k + "'?")
            .orElse("");
        throw values.error(field, confineNode.get(), "must be one of auto, always, never; found "
            + YamlValues.describe(confineNode.get()) + hint);
      }
      confine = ShellConfig.Confine.valueOf(text.toUpperCase(Locale.ROOT));
    }
    boolean network = shell.bool("network", false);
    return new ShellConfig(confine, network, shellEnv(shell), limits(shell));
  }

  private ShellConfig.Limits limits(YamlMap shell) throws AgentFileException {
    Optional<YamlMap> found = shell.map("limits",
        "a mapping of limits (processes:, open_files:, file_size_mb:, cpu_seconds:)");
    if (found.isEmpty()) {
      return ShellConfig.Limits.DEFAULT;
    }
    YamlMap limits = found.get();
    limits.allowOnly(LIMIT_KEYS, "under " + limits.field());
    int processes = limits.integer("processes", ShellConfig.Limits.DEFAULT_PROCESSES, 1);
    int openFiles = limits.integer("open_files", ShellConfig.Limits.DEFAULT_OPEN_FILES, 1);
    long fileSize = limits.integer("file_size_mb",
        (int) (ShellConfig.Limits.DEFAULT_FILE_SIZE_BYTES >> 20), 1) * (1L << 20);
    OptionalLong cpu = limits.has("cpu_seconds") && limits.get("cpu_seconds").isPresent()
        ? OptionalLong.of(limits.integer("cpu_seconds", 1, 1)) : OptionalLong.empty();
    return new ShellConfig.Limits(processes, openFiles, fileSize, cpu);
  }

  private Map<String, String> shellEnv(YamlMap shell) throws AgentFileException {
    Optional<YamlMap> found = shell.map("env",
        "a mapping of variable names to values, like {GOFLAGS: -mod=mod}");
    if (found.isEmpty()) {
      return Map.of();
    }
    YamlMap env = found.get();
    Map<String, String> variables = new HashMap<>();
    for (String name : env.keys()) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw values.error(env.field(name), env.keyLine(name), "is not a variable name; use"
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

  private List<ToolConfig> tools(YamlMap agent) throws AgentFileException {
    Optional<Node> node = agent.get("tools");
    if (node.isEmpty()) {
      return List.of();
    }
    String field = agent.field("tools");
    if (!(node.get() instanceof SequenceNode list)) {
      throw values.mustBe(field, node.get(), "a list of tools, each like '- name: write_file'");
    }
    List<ToolConfig> tools = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      Node item = list.getValue().get(i);
      YamlMap tool = values.map(item, field + "[" + i + "]", YamlValues.line(item),
          "a mapping like '- name: write_file' with optional enabled: and config:");
      tool.allowOnly(TOOL_KEYS, "in a tool entry");
      ToolConfig config = tool(tool);
      Integer firstLine = seen.putIfAbsent(config.name(), tool.keyLine("name"));
      if (firstLine != null) {
        throw values.error(tool.field("name"), tool.get("name").orElseThrow(), "tool "
            + YamlValues.quote(config.name()) + " is already listed on line " + firstLine
            + "; keep one entry per tool");
      }
      tools.add(config);
    }
    return tools;
  }

  private ToolConfig tool(YamlMap tool) throws AgentFileException {
    String name = tool.requiredText("name", "the tool's name, like write_file");
    Node nameNode = tool.get("name").orElseThrow();
    Names.requireCallableName(values, tool.field("name"), nameNode, name, "tool name",
        "use letters, digits and '_', starting with a letter, like fetch_url");
    boolean enabled = tool.bool("enabled", true);
    if (!enabled && ALWAYS_ENABLED.contains(name)) {
      throw values.error(tool.field("enabled"), tool.get("enabled").orElseThrow(),
          "the " + name + " tool cannot be disabled; remove 'enabled: false'");
    }
    Optional<YamlMap> settings = tool.map("config", "a mapping of the tool's settings");
    Map<String, Object> config = new HashMap<>();
    if (settings.isPresent()) {
      List<String> known = BUILT_IN_TOOLS.get(name);
      if (known == null) {
        for (String key : settings.get().keys()) {
          Node value = settings.get().get(key).orElseThrow(() -> values.error(
              settings.get().field(key), settings.get().keyLine(key),
              "has no value; give it one or remove it"));
          config.put(key, values.plain(value, settings.get().field(key)));
        }
      } else {
        builtInConfig(name, known, settings.get(), config);
      }
    }
    return new ToolConfig(name, enabled, config);
  }

  private void builtInConfig(String tool, List<String> known, YamlMap settings,
      Map<String, Object> config) throws AgentFileException {
    if (known.isEmpty()) {
      Optional<String> any = settings.firstKeyOutside(known);
      if (any.isPresent()) {
        throw values.error(settings.field(any.get()), settings.keyLine(any.get()),
            "the " + tool + " tool has no settings; remove config");
      }
      return;
    }
    settings.allowOnly(known, "for the built-in " + tool + " tool");
    Optional<Node> requirePermission = settings.get("require_permission");
    if (requirePermission.isPresent()) {
      config.put("require_permission",
          values.bool(requirePermission.get(), settings.field("require_permission")));
    }
    Optional<Node> timeout = settings.get("timeout");
    if (timeout.isPresent()) {
      values.number(timeout.get(), settings.field("timeout"), 0.001, Double.MAX_VALUE, SECONDS);
      config.put("timeout", values.numberOrNull(timeout.get()));
    }
  }

  private Duration seconds(YamlMap map, String key, Duration fallback)
      throws AgentFileException {
    Optional<Node> node = map.get(key);
    if (node.isEmpty()) {
      return fallback;
    }
    double seconds = values.number(node.get(), map.field(key), 0.001, Double.MAX_VALUE, SECONDS);
    // Math.round saturates, so a huge value becomes the longest Duration nanos can express.
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /** A path from the file, resolved against the file's folder. */
  private Path resolve(String text, String field, Node node) throws AgentFileException {
    try {
      return dir.resolve(text).normalize();
    } catch (InvalidPathException e) {
      throw values.error(field, node == null ? 0 : YamlValues.line(node),
          "is not a valid path (" + e.getReason() + "); fix the path");
    }
  }

  private Path existingFile(YamlMap map, String key, Node node, String what)
      throws AgentFileException {
    String field = map.field(key);
    String text = values.text(node, field);
    if (text.isBlank()) {
      throw values.error(field, node, "must not be blank; give the " + what + " file's path");
    }
    Path path = resolve(text, field, node);
    if (!Files.exists(path)) {
      throw values.error(field, node, what + " file " + path + " does not exist (paths are"
          + " relative to " + dir + "); fix the path");
    }
    if (!Files.isRegularFile(path)) {
      throw values.error(field, node, what + " " + path + " is not a file; name a file");
    }
    return path;
  }

  /** Done last, so that a file with mistakes leaves no folder behind. */
  private void createWorkDir(Path workDir) throws AgentFileException {
    if (Files.isDirectory(workDir)) {
      return;
    }
    try {
      Files.createDirectories(workDir);
    } catch (FileAlreadyExistsException e) {
      throw values.error(workDirField, workDirLine, "cannot create " + workDir + ": "
          + e.getFile() + " is a file, not a folder; choose another work_dir");
    } catch (IOException e) {
      throw values.error(workDirField, workDirLine, "cannot create " + workDir + " ("
          + reason(e) + "); create it yourself or choose another work_dir");
    }
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "not found";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static List<String> concat(List<String> list, String extra) {
    return Stream.concat(list.stream(), Stream.of(extra)).toList();
  }
}
