package dev.codepilot;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.AgentFile;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.config.SessionConfig;
import dev.codepilot.config.SubAgentConfig;
import dev.codepilot.exception.ConfinementException;
import dev.codepilot.hooks.ConsolePrompt;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.HookSystem;
import dev.codepilot.hooks.PermissionGate;
import dev.codepilot.hooks.RunObserver;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.loop.AgentLoop;
import dev.codepilot.loop.ContextView;
import dev.codepilot.loop.Conversation;
import dev.codepilot.loop.LateTools;
import dev.codepilot.loop.LoopResult;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ChatModels;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.StreamListener;
import dev.codepilot.sandbox.ExecutionResult;
import dev.codepilot.sandbox.PythonSandbox;
import dev.codepilot.session.Session;
import dev.codepilot.session.SessionException;
import dev.codepilot.session.SessionStore;
import dev.codepilot.session.SessionStores;
import dev.codepilot.session.Sessions;
import dev.codepilot.tools.AskUserHandler;
import dev.codepilot.tools.BackgroundProcesses;
import dev.codepilot.tools.BuiltinTools;
import dev.codepilot.tools.CommandJail;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolRegistry;
import dev.codepilot.tools.ToolSource;
import dev.codepilot.tools.ToolSourceException;
import dev.codepilot.tools.ToolSourceProvider;
import dev.codepilot.tools.Tools;
import dev.codepilot.tools.Workspace;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An agent, ready to run tasks: the agent file's model, tools and workspace, a Python sandbox,
 * hooks and a session holding the conversation.
 *
 * <pre>{@code
 * try (AgentRuntime runtime = AgentRuntime.load(Path.of("agent.yaml"))) {
 *   RunResult result = runtime.run("Create a FastAPI hello-world server in main.py");
 *   result.summary().ifPresent(System.out::println);
 * }
 * }</pre>
 *
 * <p>A runtime prints nothing by default; {@link Builder#consoleOutput(boolean)
 * consoleOutput(true)} shows the agent's progress on the console, and {@link #hooks()} let an
 * application show it its own way.
 *
 * <p>{@link #run} blocks and appends to one history, so later tasks see everything earlier ones
 * did. {@link #sendMessage}, {@link #abort} and the hook registration methods may be called from
 * any thread while a run is in progress; only one run at a time is allowed.
 */
public final class AgentRuntime implements AutoCloseable {

  /** Marks the line that carries an evaluated value in the sandbox's output. */
  private static final System.Logger LOG = System.getLogger(AgentRuntime.class.getName());

  private static final String EVALUATED = "codepilot-evaluated:";

  private final AgentConfig config;
  private final HookSystem hooks;
  private final ToolRegistry registry;
  private final ChatModel model;
  private final PythonSandbox sandbox;
  private final Conversation conversation;
  private final AgentLoop loop;
  private final BackgroundProcesses processes = new BackgroundProcesses();
  private final List<StreamListener> streamListeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean();

  /** Tools from outside (MCP servers), started when the runtime is built. */
  private final List<ToolSource> toolSources;

  /** The sources whose tools are in the registry. Guarded by itself. */
  private final Set<ToolSource> registeredSources = new HashSet<>();

  private volatile AskUserHandler askUserHandler;
  private volatile boolean closed;

  /** The sub-agents blocks can call, from the agent file and the builder. */
  private final List<SubAgentTool> subAgents = new ArrayList<>();

  /** Sub-agents running now, which {@link #abort()} stops too. */
  private final Set<AgentRuntime> runningChildren = ConcurrentHashMap.newKeySet();

  private AgentRuntime(
      Builder builder,
      AgentConfig config,
      ChatModel model,
      Session session,
      List<ToolSource> toolSources) {
    this.config = config;
    this.toolSources = List.copyOf(toolSources);
    this.hooks = new HookSystem();
    if (builder.consoleOutput) {
      hooks.registerConsoleDefaults(builder.out);
    }
    if (builder.permissionGate != null) {
      hooks.setPermissionGate(builder.permissionGate);
    }
    builder.observers.forEach(hooks::addObserver);
    this.registry = new ToolRegistry();
    registry.registerAll(BuiltinTools.forConfig(config), false);
    this.askUserHandler =
        builder.askUserHandler != null ? builder.askUserHandler : consoleAnswers(builder.out);
    Workspace workspace = new Workspace(config.runtime().workDir(), config.runtime().unsafeMode());
    this.conversation = new Conversation(session);
    this.model = model;
    this.sandbox =
        new PythonSandbox(
            config.runtime().allowedImports(),
            config.runtime().execTimeout(),
            config.runtime().maxOutputChars(),
            builder.sandboxIdleTimeout);
    this.loop =
        new AgentLoop(
            config,
            hooks,
            registry,
            model,
            sandbox,
            conversation,
            workspace,
            () -> askUserHandler,
            processes,
            this::onModelText);
    loop.lateTools(
        new LateTools() {
          @Override
          public Set<String> refresh() {
            return registerReadyToolSources();
          }

          @Override
          public void awaitUsed(String code) {
            registerToolSourcesUsedBy(code);
          }
        });
    for (SubAgentConfig sub : config.agents()) {
      addSubAgent(
          new SubAgentTool(
              sub.name(), describe(sub), () -> buildChild(builder, sub), sub.session(), this));
    }
    for (Map.Entry<String, SubAgentTool.Factory> sub : builder.subAgents.entrySet()) {
      addSubAgent(
          new SubAgentTool(
              sub.getKey(),
              "Runs the sub-agent '"
                  + sub.getKey()
                  + "' on a task to its end and returns its summary; raises AgentError when it does"
                  + " not finish.",
              sub.getValue(),
              SubAgentConfig.SessionMode.INHERIT,
              this));
    }
  }

  private void addSubAgent(SubAgentTool tool) {
    registry.register(tool);
    subAgents.add(tool);
  }

  private static String describe(SubAgentConfig sub) {
    String what =
        sub.description()
            .orElseGet(
                () ->
                    "Runs the agent '"
                        + sub.config().name()
                        + "'"
                        + (sub.config().role().isBlank() ? "" : " (" + sub.config().role() + ")")
                        + " on a task to its end.");
    return what + " Returns its summary as a str; raises AgentError when it does not finish.";
  }

  /**
   * A sub-agent's runtime: its own file's model, tools and work_dir; with file sessions, its
   * history is kept under the parent's session, as {@code <parent id>.agents/<name>}.
   */
  private static AgentRuntime buildChild(Builder parent, SubAgentConfig sub) {
    Builder child = AgentRuntime.builder(sub.config());
    sub.maxSteps().ifPresent(child::maxSteps);
    child.sandboxIdleTimeout(parent.sandboxIdleTimeout);
    if ("file".equals(parent.backend) && parent.session == null) {
      Path dir = parent.sessionDir != null ? parent.sessionDir : Sessions.defaultDirectory();
      String parentId =
          parent.sessionId != null
              ? parent.sessionId
              : Sessions.defaultSessionId(parent.loadedName);
      child.session("file").sessionId(sub.name()).sessionDir(dir.resolve(parentId + ".agents"));
    }
    return child.build();
  }

  void childStarted(AgentRuntime child) {
    runningChildren.add(child);
    if (loop.abortRequested()) {
      child.abort();
    }
  }

  void childEnded(AgentRuntime child) {
    runningChildren.remove(child);
  }

  /** A sub-agent's permission request, decided by this runtime's gate; denied without one. */
  boolean decideForChild(Event.PermissionRequest request) {
    return hooks
        .permissionGate()
        .map(
            gate -> {
              try {
                return gate.allow(request);
              } catch (RuntimeException e) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    TerminalText.line("the permission gate failed: " + e),
                    e);
                return false;
              }
            })
        .orElse(false);
  }

  /** A sub-agent's question, answered by this runtime's ask-user handler. */
  String askForChild(String question) throws Exception {
    return askUserHandler.answer(question);
  }

  /**
   * Loads an agent file and builds a runtime with an in-memory session.
   *
   * @throws AgentFileException when the file is missing or invalid
   * @throws ModelException when the model cannot be created (for example a missing API key)
   */
  public static AgentRuntime load(Path agentFile) {
    return builder(agentFile).build();
  }

  /** Starts building a runtime from an agent file. */
  public static Builder builder(Path agentFile) {
    return new Builder(Objects.requireNonNull(agentFile, "agentFile"), null);
  }

  /** Starts building a runtime from a configuration made in code. */
  public static Builder builder(AgentConfig config) {
    return new Builder(null, Objects.requireNonNull(config, "config"));
  }

  /**
   * Runs one task until the agent calls {@code done()}, the step limit is reached, the run is
   * aborted or the model fails. Blocks the calling thread.
   *
   * @throws IllegalStateException when another run is in progress on this runtime, or the runtime
   *     is closed
   */
  public RunResult run(String task) {
    Objects.requireNonNull(task, "task");
    ensureOpen();
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "a run is already in progress on this runtime;" + " wait for it to end or call abort()");
    }
    try {
      // MCP servers still starting are waited for by the first block that uses them.
      return runResult(loop.run(task, config.runtime().maxSteps()));
    } finally {
      running.set(false);
    }
  }

  /** The public form of how the loop ended. */
  private static RunResult runResult(LoopResult result) {
    RunResult.Outcome outcome =
        switch (result.ending()) {
          case FINISHED -> RunResult.Outcome.FINISHED;
          case MAX_STEPS -> RunResult.Outcome.MAX_STEPS;
          case ABORTED -> RunResult.Outcome.ABORTED;
          case FAILED -> RunResult.Outcome.FAILED;
        };
    return new RunResult(
        outcome,
        result.summary(),
        result.steps(),
        result.usage(),
        result.duration(),
        result.error(),
        result.savedInputTokens());
  }

  /**
   * Evaluates a Python expression in this runtime's sandbox, where the agent's blocks ran: it sees
   * the variables they left and {@code results}, as the next block would. It is checked by the same
   * policy as a block and runs under the same time limit, but with no tools bound, so it cannot
   * change the workspace. Meant for checks after a run, such as {@code len(results) > 2} or {@code
   * "total" in globals()}.
   *
   * @return the value's truth and text, or why it could not be evaluated
   * @throws IllegalStateException while a run is in progress, or when the runtime is closed
   */
  public Evaluation evaluate(String expression) {
    Objects.requireNonNull(expression, "expression");
    ensureOpen();
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("cannot evaluate while a run is in progress");
    }
    try {
      // A lambda binds the value without leaving a name behind in the agent's namespace; the
      // expression sits on lines of its own so that a trailing comment cannot swallow the rest.
      String block =
          "(lambda value: print('"
              + EVALUATED
              + "', bool(value),"
              + " repr(value)[:"
              + Evaluation.MAX_VALUE_CHARS
              + "]))((\n"
              + expression
              + "\n))";
      ExecutionResult result =
          sandbox.execute(block, List.of(), null, ContextView.results(conversation.messages()));
      return switch (result.status()) {
        case OK -> {
          int at = result.output().lastIndexOf(EVALUATED + " ");
          if (at < 0) {
            yield new Evaluation(
                false,
                "",
                "its value was lost: the expression printed more" + " than the output limit");
          }
          String rest = result.output().substring(at + EVALUATED.length() + 1).stripTrailing();
          boolean truthy = rest.startsWith("True");
          yield new Evaluation(truthy, rest.substring(truthy ? 5 : 6), "");
        }
        case REJECTED ->
            new Evaluation(false, "", "refused by the sandbox policy: " + result.error());
        default ->
            new Evaluation(
                false, "", result.error().isEmpty() ? result.status().toString() : result.error());
      };
    } finally {
      running.set(false);
      sandbox.releaseWhenIdle();
    }
  }

  /**
   * Queues a message for the running agent; it enters the context, tagged {@code [USER MESSAGE]},
   * at the next step boundary (or at the next run's first step). Thread-safe and non-blocking.
   */
  public void sendMessage(String message) {
    loop.enqueue(Objects.requireNonNull(message, "message"));
  }

  /**
   * Stops the run after its current step; an in-flight model request is cancelled at once. Called
   * while no run is in progress, it stops the next run before its first step.
   */
  public void abort() {
    loop.requestAbort();
    runningChildren.forEach(AgentRuntime::abort);
  }

  /**
   * Wipes the history (and the session file), the Python namespace and queued messages, and ends
   * every background command the agent started.
   *
   * @throws IllegalStateException while a run is in progress
   */
  public void reset() {
    ensureOpen();
    if (running.get()) {
      throw new IllegalStateException(
          "cannot reset while a run is in progress; abort it and"
              + " wait for run() to return first");
    }
    processes.stopAll();
    conversation.clear();
    loop.clearPending();
    sandbox.resetNamespace();
    hooks.emit(new Event.SessionReset());
  }

  /** Adds a tool; see {@link ToolRegistry#register(ToolDefinition)}. */
  public AgentRuntime registerTool(ToolDefinition tool) {
    registry.register(tool);
    return this;
  }

  /**
   * Adds a tool, replacing one of the same name (built-ins included) when {@code replace}. A
   * replacement can delegate to what it replaces: fetch it with {@code registry().get(name)} before
   * replacing it (or use {@link BuiltinTools}) and call {@link
   * dev.codepilot.tools.ToolInvocation#delegate(ToolDefinition)}.
   */
  public AgentRuntime registerTool(ToolDefinition tool, boolean replace) {
    registry.register(tool, replace);
    return this;
  }

  /**
   * Adds the {@link dev.codepilot.tools.Tool @Tool} methods of an object as tools; see {@link
   * Tools#fromObject(Object)}. All or none are added.
   *
   * @throws IllegalArgumentException when the object has no valid tool methods or a name is taken
   */
  public AgentRuntime registerTools(Object toolsObject) {
    return registerTools(toolsObject, false);
  }

  /** Adds the {@code @Tool} methods of an object, replacing tools of the same names when asked. */
  public AgentRuntime registerTools(Object toolsObject, boolean replace) {
    registry.registerAll(Tools.fromObject(toolsObject), replace);
    return this;
  }

  /** The full history, oldest first. */
  public List<Message> messages() {
    return conversation.messages();
  }

  /** The session backend holding the history. */
  public Session session() {
    return conversation.session();
  }

  /** The hook system; register handlers here. */
  public HookSystem hooks() {
    return hooks;
  }

  /** The registered tools. */
  public ToolRegistry registry() {
    return registry;
  }

  /**
   * The commands the agent started with {@code run_command(..., background=True)}; they are ended
   * by {@link #reset()} and {@link #close()}.
   */
  public BackgroundProcesses backgroundProcesses() {
    return processes;
  }

  /** The configuration this runtime was built from. */
  public AgentConfig config() {
    return config;
  }

  /** True while {@link #run} is in progress. */
  public boolean isRunning() {
    return running.get();
  }

  /**
   * The system prompt the next step would send, for inspection. Waits for the agent file's MCP
   * servers to list their tools.
   *
   * @throws ToolSourceException when an MCP server cannot be started or reached
   */
  public String systemPrompt() {
    registerToolSources();
    return loop.systemPrompt();
  }

  /**
   * Waits until the tools of the agent file's MCP servers (and other tool sources) are listed, and
   * registers them. The servers start in the background when the runtime is built, and a run does
   * not wait for them: each model request lists the servers ready by then (naming the others as
   * starting), and the first block that uses a server waits for it. Call this to wait for all of
   * them at once, for instance to fail early when one cannot start.
   *
   * @throws ToolSourceException when a server cannot be started or reached; the message names the
   *     server and the cause
   */
  public void registerToolSources() {
    ensureOpen();
    registerSources(source -> true);
  }

  /**
   * Registers the sources that are ready, and those with no group of their own (which must be ready
   * before a run); returns the groups still starting.
   */
  private Set<String> registerReadyToolSources() {
    registerSources(source -> source.isReady() || source.group().isEmpty());
    Set<String> starting = new TreeSet<>();
    synchronized (registeredSources) {
      for (ToolSource source : toolSources) {
        if (!registeredSources.contains(source)) {
          source.group().ifPresent(starting::add);
        }
      }
    }
    return starting;
  }

  /** Waits for the sources still starting whose group the code names, and registers them. */
  private void registerToolSourcesUsedBy(String code) {
    registerSources(
        source ->
            source
                .group()
                .map(
                    group ->
                        Pattern.compile("(?<![\\w.])" + Pattern.quote(group) + "(?!\\w)")
                            .matcher(code)
                            .find())
                .orElse(false));
  }

  /**
   * Registers the tools of the sources not yet registered that {@code which} picks, waiting for
   * each; the failures of all of them are reported together.
   */
  private void registerSources(Predicate<ToolSource> which) {
    synchronized (registeredSources) {
      List<String> failures = new ArrayList<>();
      for (ToolSource source : toolSources) {
        if (registeredSources.contains(source) || !which.test(source)) {
          continue;
        }
        List<ToolDefinition> found;
        try {
          found = source.tools();
        } catch (ToolSourceException e) {
          failures.add(e.getMessage());
          continue;
        }
        registry.registerAll(found, false);
        registeredSources.add(source);
      }
      if (!failures.isEmpty()) {
        throw new ToolSourceException(String.join("; ", failures));
      }
    }
  }

  /** Sets who answers {@code ask_user}; by default the console, or "" with no terminal. */
  public void setAskUserHandler(AskUserHandler handler) {
    this.askUserHandler = Objects.requireNonNull(handler, "handler");
  }

  /** Receives the model's reply text as it streams in. */
  public void addStreamListener(StreamListener listener) {
    streamListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Sets who decides permission requests of tools with {@code require_permission: true}, replacing
   * the gate there was (by default the console's {@code y/N} prompt with console output, none
   * without); null removes it, so that every request is denied.
   */
  public AgentRuntime setPermissionGate(PermissionGate gate) {
    hooks.setPermissionGate(gate);
    return this;
  }

  /** Replaces the default THINK handler; see {@link HookSystem#replaceDefault(Class, Consumer)}. */
  public AgentRuntime onThink(Consumer<Event.Think> handler) {
    return replaceDefault(Event.Think.class, handler);
  }

  /** Replaces the default TOOL_CALL handler. */
  public AgentRuntime onToolCall(Consumer<Event.ToolCall> handler) {
    return replaceDefault(Event.ToolCall.class, handler);
  }

  /** Replaces the default TOOL_RESULT handler. */
  public AgentRuntime onToolResult(Consumer<Event.ToolResult> handler) {
    return replaceDefault(Event.ToolResult.class, handler);
  }

  /** Replaces the default ASK_USER handler (display only; see {@link #setAskUserHandler}). */
  public AgentRuntime onAskUser(Consumer<Event.AskUser> handler) {
    return replaceDefault(Event.AskUser.class, handler);
  }

  /** Replaces the default FINISH handler. */
  public AgentRuntime onFinish(Consumer<Event.Finish> handler) {
    return replaceDefault(Event.Finish.class, handler);
  }

  /** Replaces the default USER_MESSAGE_QUEUED handler. */
  public AgentRuntime onUserMessageQueued(Consumer<Event.UserMessageQueued> handler) {
    return replaceDefault(Event.UserMessageQueued.class, handler);
  }

  /** Replaces the default USER_MESSAGE_INJECTED handler. */
  public AgentRuntime onUserMessageInjected(Consumer<Event.UserMessageInjected> handler) {
    return replaceDefault(Event.UserMessageInjected.class, handler);
  }

  /**
   * Sets the permission gate (replacing the console's {@code y/N} prompt) from a predicate: true
   * approves. The same as {@code setPermissionGate(gate::test)}.
   */
  public AgentRuntime onPermissionRequest(Predicate<Event.PermissionRequest> gate) {
    Objects.requireNonNull(gate, "gate");
    return setPermissionGate(gate::test);
  }

  /**
   * Ends every process the agent started (background commands and a foreground command in progress,
   * with the processes they started), then closes the sandbox, the model and the session. Call it
   * after the last run has returned.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    loop.requestAbort();
    try {
      subAgents.forEach(SubAgentTool::close);
      toolSources.forEach(ToolSource::close);
      processes.close();
    } finally {
      try {
        sandbox.close();
      } finally {
        try {
          model.close();
        } finally {
          conversation.close();
        }
      }
    }
  }

  private <E extends Event> AgentRuntime replaceDefault(Class<E> type, Consumer<E> handler) {
    hooks.replaceDefault(type, Objects.requireNonNull(handler, "handler"));
    return this;
  }

  private void onModelText(String text) {
    for (StreamListener listener : streamListeners) {
      try {
        listener.onText(text);
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING, TerminalText.line("a stream listener failed: " + e), e);
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this runtime is closed");
    }
  }

  private static AskUserHandler consoleAnswers(PrintStream out) {
    return question -> ConsolePrompt.ask(out, question).orElse("");
  }

  /**
   * Opens the tool sources the agent file asks for, through the providers on the class path.
   *
   * @throws ToolSourceException when {@code mcp_servers} is set and no provider handles it
   */
  private static List<ToolSource> openToolSources(AgentConfig config) {
    List<ToolSource> sources = new ArrayList<>();
    boolean handled = false;
    try {
      for (ToolSourceProvider provider :
          ServiceLoader.load(ToolSourceProvider.class, AgentRuntime.class.getClassLoader())) {
        if (provider.handles(config)) {
          handled = true;
          sources.addAll(provider.open(config));
        }
      }
    } catch (RuntimeException | java.util.ServiceConfigurationError e) {
      sources.forEach(ToolSource::close);
      throw e;
    }
    if (!config.mcpServers().isEmpty() && !handled) {
      throw new ToolSourceException(
          config.source().map(p -> p + ": ").orElse("")
              + "mcp_servers (line "
              + config.mcpServers().get(0).line()
              + ") needs the MCP"
              + " support, which is not on the class path; add the dev.codepilot:codepilot-mcp"
              + " module to the application's dependencies");
    }
    return sources;
  }

  private static Session openSession(Builder builder, AgentConfig config) {
    String id =
        builder.sessionId != null ? builder.sessionId : Sessions.defaultSessionId(config.name());
    if (builder.store != null) {
      return builder.store.open(id, config.name());
    }
    // The builder's choice wins over the agent file's session: section.
    String url = builder.storeUrl;
    String user = null;
    String password = null;
    String backend = builder.backend;
    if (url == null && backend == null && config.session().isPresent()) {
      SessionConfig section = config.session().get();
      backend = section.backend();
      if (backend.equals("postgres")) {
        url = section.url();
        user = section.user().orElse(null);
        password = section.password().orElse(null);
      }
    }
    if (url != null) {
      return Sessions.ownedBy(SessionStores.open(url, user, password), id, config.name());
    }
    return Sessions.create(
        backend != null ? backend : "memory", id, config.name(), builder.sessionDir);
  }

  /**
   * What {@link #evaluate(String)} found.
   *
   * @param truthy whether the value is true in Python's sense ({@code bool(value)})
   * @param value the value's {@code repr}, cut to {@value #MAX_VALUE_CHARS} characters; empty when
   *     it could not be evaluated
   * @param error why it could not be evaluated (a traceback, the policy's reason); empty when it
   *     was
   */
  public record Evaluation(boolean truthy, String value, String error) {

    /** How much of the value's text is kept. */
    public static final int MAX_VALUE_CHARS = 200;

    /** Checks that no component is null. */
    public Evaluation {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(error, "error");
    }

    /** True when the expression could not be evaluated. */
    public boolean failed() {
      return !error.isEmpty();
    }
  }

  /**
   * Builds an {@link AgentRuntime}. Defaults: in-memory session, no console output, the model from
   * the agent file.
   */
  public static final class Builder {

    private final Path agentFile;
    private final AgentConfig config;
    private String backend;
    private String storeUrl;
    private SessionStore store;
    private String sessionId;
    private Path sessionDir;
    private Session session;
    private ChatModel model;
    private Integer maxSteps;
    private boolean consoleOutput;
    private PrintStream out = System.out;
    private AskUserHandler askUserHandler;
    private PermissionGate permissionGate;
    private final List<RunObserver> observers = new ArrayList<>();
    private Duration sandboxIdleTimeout = PythonSandbox.DEFAULT_IDLE_RELEASE;
    private final Map<String, SubAgentTool.Factory> subAgents = new LinkedHashMap<>();

    /** The agent's name, once build() has loaded its file; for sub-agents' session ids. */
    private String loadedName;

    private Builder(Path agentFile, AgentConfig config) {
      this.agentFile = agentFile;
      this.config = config;
    }

    /**
     * {@code "memory"} or {@code "file"}. Default: the agent file's {@code session:} section, else
     * memory.
     */
    public Builder session(String backendName) {
      this.backend = Objects.requireNonNull(backendName, "backendName").toLowerCase(Locale.ROOT);
      return this;
    }

    /** The session id; defaults to the agent name in lower case with spaces as hyphens. */
    public Builder sessionId(String id) {
      this.sessionId = Objects.requireNonNull(id, "id");
      return this;
    }

    /** Where file sessions are kept instead of {@code ~/.codepilot/sessions/}. */
    public Builder sessionDir(Path dir) {
      this.sessionDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * Keeps the session in the store at {@code url}, e.g. {@code
     * jdbc:postgresql://db/codepilot?user=u&password=p} (needs {@code codepilot-postgres} on the
     * class path). The store is opened by {@link #build()} and closed with the runtime. Wins over
     * {@link #session(String)} and the agent file's {@code session:} section.
     */
    public Builder sessionStore(String url) {
      this.storeUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * Keeps the session in this open store, shared with others (a server opens one store for all
     * its runtimes); closing the runtime leaves the store open.
     */
    public Builder sessionStore(SessionStore openStore) {
      this.store = Objects.requireNonNull(openStore, "openStore");
      return this;
    }

    /** Uses this session backend instance instead of creating one. */
    public Builder session(Session custom) {
      this.session = Objects.requireNonNull(custom, "custom");
      return this;
    }

    /** Uses this model instead of the one the agent file describes. */
    public Builder model(ChatModel chatModel) {
      this.model = Objects.requireNonNull(chatModel, "chatModel");
      return this;
    }

    /** Overrides the agent file's {@code runtime.max_steps}. */
    public Builder maxSteps(int steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("maxSteps must be at least 1");
      }
      this.maxSteps = steps;
      return this;
    }

    /**
     * Whether the console handlers print the agent's progress to standard output (or the stream
     * given to {@link #consoleOutput(PrintStream)}), and the console's {@code y/N} prompt is the
     * default permission gate. Default false: a library prints nothing unless asked, and with no
     * gate set every permission request is denied.
     */
    public Builder consoleOutput(boolean enabled) {
      this.consoleOutput = enabled;
      return this;
    }

    /** Turns console output on, printing to {@code stream} (default standard output). */
    public Builder consoleOutput(PrintStream stream) {
      this.out = Objects.requireNonNull(stream, "stream");
      this.consoleOutput = true;
      return this;
    }

    /**
     * How long the Python interpreter is kept after a run ends (default 5 minutes). When no run
     * starts within that time it is closed, so an idle runtime holds no interpreter memory; the
     * next run starts in a fresh namespace, and its first block's result tells the model so. Zero
     * releases it as soon as each run ends.
     */
    public Builder sandboxIdleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("the sandbox idle timeout must not be negative");
      }
      this.sandboxIdleTimeout = timeout;
      return this;
    }

    /** Who answers {@code ask_user}. */
    public Builder askUserHandler(AskUserHandler handler) {
      this.askUserHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Adds a sub-agent that blocks call as {@code name("task")}: it runs the runtime to its end and
     * returns its summary, or raises {@code AgentError}. The runtime is wired to this one (events,
     * permission requests, questions, abort) and closed with it.
     *
     * <p>The name is checked as a tool name when the runtime is built.
     */
    public Builder subAgent(String name, AgentRuntime runtime) {
      Objects.requireNonNull(runtime, "runtime");
      return subAgent(name, () -> runtime);
    }

    /**
     * Adds a sub-agent made by {@code factory} at its first call; see {@link #subAgent(String,
     * AgentRuntime)}.
     */
    public Builder subAgent(String name, java.util.concurrent.Callable<AgentRuntime> factory) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(factory, "factory");
      subAgents.put(name, factory::call);
      return this;
    }

    /**
     * Who decides permission requests of tools with {@code require_permission: true}. By default
     * the console's {@code y/N} prompt with console output (it denies when there is no terminal),
     * and no gate without: every request is then denied.
     */
    public Builder permissionGate(PermissionGate gate) {
      this.permissionGate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /**
     * Adds an observer that follows every run part by part, for tracing and metrics (see {@link
     * RunObserver}); the same as {@code runtime.hooks().addObserver(observer)} once built. Several
     * may be added; they are called in the order added.
     */
    public Builder observer(RunObserver observer) {
      this.observers.add(Objects.requireNonNull(observer, "observer"));
      return this;
    }

    /**
     * Builds the runtime.
     *
     * <p>Where bubblewrap cannot confine {@code run_command}'s commands, {@code
     * runtime.shell.confine: auto} logs one warning per JVM (see {@link CommandJail#check}).
     *
     * @throws AgentFileException when the agent file is missing or invalid (only for a builder made
     *     from a file)
     * @throws ModelException when the model cannot be created (for example a missing API key)
     * @throws SessionException when the session cannot be opened
     * @throws ToolSourceException when an MCP server cannot be started or reached
     * @throws ConfinementException when {@code runtime.shell.confine} is {@code always} and
     *     bubblewrap cannot confine commands here (the message says why and what to install)
     */
    public AgentRuntime build() {
      AgentConfig loaded = config != null ? config : AgentFile.load(agentFile);
      loadedName = loaded.name();
      if (maxSteps != null) {
        loaded = loaded.withRuntime(loaded.runtime().withMaxSteps(maxSteps));
      }
      CommandJail.check(loaded);
      ChatModel chatModel = model != null ? model : ChatModels.create(loaded.model());
      Session opened = null;
      List<ToolSource> sources = List.of();
      try {
        opened = session != null ? session : openSession(this, loaded);
        sources = openToolSources(loaded);
        return new AgentRuntime(this, loaded, chatModel, opened, sources);
      } catch (RuntimeException e) {
        sources.forEach(ToolSource::close);
        if (opened != null && session == null) {
          opened.close();
        }
        if (model == null) {
          chatModel.close();
        }
        throw e;
      }
    }
  }
}
