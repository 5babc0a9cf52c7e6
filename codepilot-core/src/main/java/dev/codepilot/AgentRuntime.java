package dev.codepilot;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.AgentFile;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.hooks.ConsolePrompt;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.HookSystem;
import dev.codepilot.hooks.PermissionGate;
import dev.codepilot.hooks.RunObserver;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.loop.AgentLoop;
import dev.codepilot.loop.Conversation;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ChatModels;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.StreamListener;
import dev.codepilot.sandbox.PythonSandbox;
import dev.codepilot.session.Session;
import dev.codepilot.session.Sessions;
import dev.codepilot.tools.AskUserHandler;
import dev.codepilot.tools.BackgroundProcesses;
import dev.codepilot.tools.CommandJail;
import dev.codepilot.tools.BuiltinTools;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolRegistry;
import dev.codepilot.tools.Tools;
import dev.codepilot.tools.Workspace;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

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
 * <p>{@link #run} blocks and appends to one history, so later tasks see everything earlier
 * ones did. {@link #sendMessage}, {@link #abort} and the hook registration methods may be
 * called from any thread while a run is in progress; only one run at a time is allowed.
 */
public final class AgentRuntime implements AutoCloseable {

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
  private volatile AskUserHandler askUserHandler;
  private volatile boolean closed;

  private AgentRuntime(Builder builder, AgentConfig config, ChatModel model, Session session) {
    this.config = config;
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
    this.askUserHandler = builder.askUserHandler != null
        ? builder.askUserHandler : consoleAnswers(builder.out);
    Workspace workspace = new Workspace(config.runtime().workDir(), config.runtime().unsafeMode());
    this.conversation = new Conversation(session);
    this.model = model;
    this.sandbox = new PythonSandbox(config.runtime().allowedImports(),
        config.runtime().execTimeout(), config.runtime().maxOutputChars(),
        builder.sandboxIdleTimeout);
    this.loop = new AgentLoop(config, hooks, registry, model, sandbox, conversation, workspace,
        () -> askUserHandler, processes, this::onModelText);
  }

  /**
   * Loads an agent file and builds a runtime with an in-memory session.
   *
   * @throws AgentFileException when the file is missing or invalid
   * @throws ModelException     when the model cannot be created (for example a missing API key)
   */
  public static AgentRuntime load(Path agentFile) throws AgentFileException, ModelException {
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
   * @throws IllegalStateException when another run is in progress on this runtime, or the
   *     runtime is closed
   */
  public RunResult run(String task) {
    Objects.requireNonNull(task, "task");
    ensureOpen();
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("a run is already in progress on this runtime;"
          + " wait for it to end or call abort()");
    }
    try {
      return loop.run(task, config.runtime().maxSteps());
    } finally {
      running.set(false);
    }
  }

  /**
   * Queues a message for the running agent; it enters the context, tagged
   * {@code [USER MESSAGE]}, at the next step boundary (or at the next run's first step).
   * Thread-safe and non-blocking.
   */
  public void sendMessage(String message) {
    loop.enqueue(Objects.requireNonNull(message, "message"));
  }

  /**
   * Stops the run after its current step; an in-flight model request is cancelled at once.
   * Called while no run is in progress, it stops the next run before its first step.
   */
  public void abort() {
    loop.requestAbort();
  }

  /**
   * Wipes the history (and the session file), the Python namespace and queued messages, and
   * ends every background command the agent started.
   *
   * @throws IllegalStateException while a run is in progress
   */
  public void reset() {
    ensureOpen();
    if (running.get()) {
      throw new IllegalStateException("cannot reset while a run is in progress; abort it and"
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
   * replacement can delegate to what it replaces: fetch it with {@code registry().get(name)}
   * before replacing it (or use {@link BuiltinTools}) and call
   * {@link dev.codepilot.tools.ToolInvocation#delegate(ToolDefinition)}.
   */
  public AgentRuntime registerTool(ToolDefinition tool, boolean replace) {
    registry.register(tool, replace);
    return this;
  }

  /**
   * Adds the {@link dev.codepilot.tools.Tool @Tool} methods of an object as tools; see
   * {@link Tools#fromObject(Object)}. All or none are added.
   *
   * @throws IllegalArgumentException when the object has no valid tool methods or a name is
   *     taken
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
   * The commands the agent started with {@code run_command(..., background=True)}; they are
   * ended by {@link #reset()} and {@link #close()}.
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

  /** The system prompt the next step would send, for inspection. */
  public String systemPrompt() {
    return loop.systemPrompt();
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
   * Sets who decides permission requests of tools with {@code require_permission: true},
   * replacing the gate there was (by default the console's {@code y/N} prompt with console
   * output, none without); null removes it, so that every request is denied.
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
   * Sets the permission gate (replacing the console's {@code y/N} prompt) from a predicate:
   * true approves. The same as {@code setPermissionGate(gate::test)}.
   */
  public AgentRuntime onPermissionRequest(Predicate<Event.PermissionRequest> gate) {
    Objects.requireNonNull(gate, "gate");
    return setPermissionGate(gate::test);
  }

  /**
   * Ends every process the agent started (background commands and a foreground command in
   * progress, with the processes they started), then closes the sandbox, the model and the
   * session. Call it after the last run has returned.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    loop.requestAbort();
    try {
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
        System.err.println(TerminalText.line("codepilot: a stream listener failed: " + e));
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

  private static Session openSession(Builder builder, AgentConfig config) {
    String id = builder.sessionId != null ? builder.sessionId
        : Sessions.defaultSessionId(config.name());
    return Sessions.create(builder.backend, id, config.name(), builder.sessionDir);
  }

  /**
   * Builds an {@link AgentRuntime}. Defaults: in-memory session, no console output, the model
   * from the agent file.
   */
  public static final class Builder {

    private final Path agentFile;
    private final AgentConfig config;
    private String backend = "memory";
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

    private Builder(Path agentFile, AgentConfig config) {
      this.agentFile = agentFile;
      this.config = config;
    }

    /** {@code "memory"} (default) or {@code "file"}. */
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
     * Whether the console handlers print the agent's progress to standard output (or the
     * stream given to {@link #consoleOutput(PrintStream)}), and the console's {@code y/N}
     * prompt is the default permission gate. Default false: a library prints nothing unless
     * asked, and with no gate set every permission request is denied.
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
     * next run starts in a fresh namespace, and its first block's result tells the model so.
     * Zero releases it as soon as each run ends.
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
     * Who decides permission requests of tools with {@code require_permission: true}. By
     * default the console's {@code y/N} prompt with console output (it denies when there is no
     * terminal), and no gate without: every request is then denied.
     */
    public Builder permissionGate(PermissionGate gate) {
      this.permissionGate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /**
     * Adds an observer that follows every run part by part, for tracing and metrics (see
     * {@link RunObserver}); the same as {@code runtime.hooks().addObserver(observer)} once
     * built. Several may be added; they are called in the order added.
     */
    public Builder observer(RunObserver observer) {
      this.observers.add(Objects.requireNonNull(observer, "observer"));
      return this;
    }

    /**
     * Builds the runtime.
     *
     * <p>Where bubblewrap cannot confine {@code run_command}'s commands, {@code
     * runtime.shell.confine: auto} prints one warning per JVM to standard error.
     *
     * @throws AgentFileException       when the agent file is missing or invalid
     * @throws ModelException           when the model cannot be created
     * @throws IllegalArgumentException when {@code runtime.shell.confine} is {@code always} and
     *     bubblewrap cannot confine commands here (the message says why and what to install)
     */
    public AgentRuntime build() throws AgentFileException, ModelException {
      AgentConfig loaded = config != null ? config : AgentFile.load(agentFile);
      if (maxSteps != null) {
        loaded = loaded.withRuntime(loaded.runtime().withMaxSteps(maxSteps));
      }
      CommandJail.check(loaded, System.err);
      ChatModel chatModel = model != null ? model : ChatModels.create(loaded.model());
      Session opened = null;
      try {
        opened = session != null ? session : openSession(this, loaded);
        return new AgentRuntime(this, loaded, chatModel, opened);
      } catch (RuntimeException e) {
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
