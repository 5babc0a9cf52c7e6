package dev.codepilot.loop;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ContextConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.HookSystem;
import dev.codepilot.hooks.RunObserver;
import dev.codepilot.internal.Text;
import dev.codepilot.loop.LoopResult.Ending;
import dev.codepilot.model.Cancellation;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ContextWindows;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.model.StopReason;
import dev.codepilot.model.StreamListener;
import dev.codepilot.model.Usage;
import dev.codepilot.sandbox.ExecutionResult;
import dev.codepilot.sandbox.PythonSandbox;
import dev.codepilot.session.SessionException;
import dev.codepilot.session.Transcript;
import dev.codepilot.tools.AskUserHandler;
import dev.codepilot.tools.BackgroundProcesses;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolRegistry;
import dev.codepilot.tools.Workspace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The agent loop: one {@link #run} is a sequence of steps, and one step asks the model, parses its
 * reply, checks and runs the control block, and records the reply and the execution result in the
 * history, which is saved after every step.
 */
public final class AgentLoop {

  // The tags of the wire between model and runtime; Transcript, the public view, owns them.
  public static final String USER_INPUT = Transcript.Kind.TASK.tag();
  public static final String EXECUTION_RESULT = Transcript.Kind.EXECUTION_RESULT.tag();
  public static final String USER_MESSAGE = Transcript.Kind.USER_MESSAGE.tag();
  static final String NO_BLOCK = "[No executable code block in response.]";
  static final String NO_OUTPUT = "[Control block executed with no output.]";

  private final AgentConfig config;
  private final HookSystem hooks;
  private final ToolRegistry registry;
  private final ChatModel model;
  private final PythonSandbox sandbox;
  private final Conversation conversation;
  private final Workspace workspace;
  private final SystemPrompt prompt;
  private final Supplier<AskUserHandler> askUser;
  private final BackgroundProcesses processes;
  private final StreamListener streamListener;
  private final Queue<String> inbox = new ConcurrentLinkedQueue<>();
  private final ContextKeeper context;
  private volatile boolean abortRequested;
  private volatile Cancellation inFlight;

  /** The run's observers, fixed when it starts: one added meanwhile hears from the next run. */
  private RunObserver observer = RunObserver.NONE;

  /** Characters the context view kept out of this run's requests so far. */
  private long savedChars;

  private volatile LateTools lateTools = LateTools.NONE;

  /** The tool groups still starting when the next prompt is made, which it names. */
  private volatile Set<String> starting = Set.of();

  public AgentLoop(
      AgentConfig config,
      HookSystem hooks,
      ToolRegistry registry,
      ChatModel model,
      PythonSandbox sandbox,
      Conversation conversation,
      Workspace workspace,
      Supplier<AskUserHandler> askUser,
      BackgroundProcesses processes,
      StreamListener streamListener) {
    this.config = config;
    this.hooks = hooks;
    this.registry = registry;
    this.model = model;
    this.sandbox = sandbox;
    this.conversation = conversation;
    this.workspace = workspace;
    this.prompt = new SystemPrompt(config);
    this.askUser = askUser;
    this.processes = processes;
    this.streamListener = streamListener;
    ContextConfig settings = config.runtime().context();
    this.context =
        new ContextKeeper(
            settings,
            settings.windowTokens().orElseGet(() -> ContextWindows.of(config.model().name())));
  }

  /** Sets where tools that arrive during runs (MCP servers starting) come from. */
  public void lateTools(LateTools tools) {
    this.lateTools = Objects.requireNonNull(tools, "tools");
  }

  /** Queues a message for the next step boundary. */
  public void enqueue(String message) {
    inbox.add(message);
    hooks.emit(new Event.UserMessageQueued(message));
  }

  /** Asks the current run (or the next one, if none is running) to stop after its step. */
  public void requestAbort() {
    abortRequested = true;
    Cancellation cancellation = inFlight;
    if (cancellation != null) {
      cancellation.cancel();
    }
  }

  /** Whether an abort was asked for and the run has not yet stopped for it. */
  public boolean abortRequested() {
    return abortRequested;
  }

  /** Forgets queued messages and a pending abort. */
  public void clearPending() {
    inbox.clear();
    abortRequested = false;
  }

  /** The tools the model is offered: registered ones not disabled in the agent file. */
  public List<ToolDefinition> activeTools() {
    return registry.offered(config);
  }

  /** The system prompt the next step would send. */
  public String systemPrompt() {
    return prompt.render(activeTools(), starting);
  }

  /**
   * Runs one task to its end and returns once its history is saved. Only one run at a time; the
   * caller ensures it.
   */
  public LoopResult run(String task, int maxSteps) {
    observer = hooks.observer();
    observer.runStarted(
        new RunObserver.RunStart(
            config.name(),
            conversation.session().sessionId(),
            task,
            config.model().provider(),
            config.model().name(),
            maxSteps));
    LoopResult result = null;
    try {
      result = runAndSave(task, maxSteps);
      return result;
    } catch (RuntimeException | Error e) {
      observer.runEnded(
          new RunObserver.RunEnd("failed", 0, Usage.NONE, Optional.of(String.valueOf(e))));
      throw e;
    } finally {
      if (result != null) {
        observer.runEnded(
            new RunObserver.RunEnd(
                result.ending().name().toLowerCase(java.util.Locale.ROOT), result.steps(),
                result.usage(), result.error()));
      }
    }
  }

  private LoopResult runAndSave(String task, int maxSteps) {
    LoopResult result;
    try {
      result = runSteps(task, maxSteps);
    } catch (RuntimeException | Error e) {
      try {
        conversation.awaitSaved();
      } catch (RuntimeException saveFailure) {
        if (saveFailure != e) {
          e.addSuppressed(saveFailure);
        }
      }
      throw e;
    } finally {
      sandbox.releaseWhenIdle();
    }
    try {
      conversation.awaitSaved();
    } catch (SessionException e) {
      String error = sessionFailure(e);
      return new LoopResult(
          Ending.FAILED,
          Optional.empty(),
          result.steps(),
          result.usage(),
          result.duration(),
          Optional.of(result.error().map(first -> first + "; " + error).orElse(error)),
          result.savedInputTokens());
    }
    return result;
  }

  private String sessionFailure(SessionException e) {
    String error = "the session could not be saved: " + e.getMessage();
    hooks.emit(new Event.RuntimeError(error));
    return error;
  }

  private LoopResult runSteps(String task, int maxSteps) {
    long started = System.nanoTime();
    Usage usage = Usage.NONE;
    savedChars = 0;
    hooks.emit(new Event.Start(task));
    int step = 0;
    try {
      conversation.append(Message.user(USER_INPUT + task));
      sandbox.warmUp();
      while (step < maxSteps) {
        if (abortRequested) {
          return result(Ending.ABORTED, null, step, usage, started, null);
        }
        step++;
        injectMessages();
        hooks.emit(new Event.Step(step, maxSteps));
        observer.stepStarted(step);
        ModelReply reply;
        try {
          NextRequest next = prepare();
          usage = usage.plus(next.summaryUsage());
          reply = ask(next);
        } catch (ModelException e) {
          if (e.isCancelled() || abortRequested) {
            return result(Ending.ABORTED, null, step, usage, started, null);
          }
          String error = "model request failed: " + e.getMessage();
          hooks.emit(new Event.RuntimeError(error));
          return result(Ending.FAILED, null, step, usage, started, error);
        }
        usage = usage.plus(reply.usage());
        reply = withinLimit(reply);
        // The previous step's save overlapped the model call; its effects must be on disk
        // before this step's block adds more.
        conversation.awaitSaved();
        StepContext context = new StepContext(config, workspace, hooks, askUser.get(), processes);
        String feedback = handle(reply, context);
        usage = usage.plus(context.toolUsage());
        conversation.append(
            Message.assistant(reply.text()), Message.user(EXECUTION_RESULT + feedback));
        Optional<String> summary = context.summary();
        if (summary.isPresent()) {
          // A finished task is reported only once it is saved.
          conversation.awaitSaved();
          hooks.emit(new Event.Finish(summary.get(), usage.totalInputTokens(), savedTokens()));
          return result(Ending.FINISHED, summary.get(), step, usage, started, null);
        }
      }
      if (abortRequested) {
        return result(Ending.ABORTED, null, step, usage, started, null);
      }
      hooks.emit(new Event.MaxSteps());
      return result(Ending.MAX_STEPS, null, step, usage, started, null);
    } catch (SessionException e) {
      // The history stays complete in memory; the next save that succeeds writes all of it.
      return result(Ending.FAILED, null, step, usage, started, sessionFailure(e));
    } finally {
      abortRequested = false;
    }
  }

  private void injectMessages() {
    String message;
    while ((message = inbox.poll()) != null) {
      conversation.append(Message.user(USER_MESSAGE + message));
      hooks.emit(new Event.UserMessageInjected(message));
    }
  }

  private ModelReply ask(NextRequest next) throws ModelException {
    ContextView.View view = next.view();
    ModelReply reply =
        complete(
            new ModelRequest(
                next.system(),
                view.messages(),
                streamListener,
                new Cancellation(),
                view.stablePrefix()));
    savedChars += view.fullChars() - view.viewChars();
    context.observe(next.system().length() + view.viewChars(), reply.usage());
    return reply;
  }

  /**
   * What the next request carries, and the tokens a summary cost to make it.
   *
   * @param summaryUsage the usage of the summary request made for it, {@link Usage#NONE} when there
   *     was none
   */
  private record NextRequest(String system, ContextView.View view, Usage summaryUsage) {}

  /**
   * The next request's system prompt and view of the history, each made once a step. When the
   * request would pass {@code summarize_at} of the window, the model is first asked for a summary
   * of the older steps, which is stored in the history, where the view takes it from. A failed
   * summary is reported and the run goes on with the view as it is.
   *
   * @throws ModelException only when the run was aborted meanwhile
   */
  private NextRequest prepare() throws ModelException {
    starting = lateTools.refresh();
    String system = systemPrompt();
    List<Message> history = conversation.messages();
    ContextView.View view = ContextView.of(history, config.runtime().context());
    long before = system.length() + view.viewChars();
    if (!context.overBudget(before)) {
      return new NextRequest(system, view, Usage.NONE);
    }
    OptionalInt upTo = context.boundary(history);
    if (upTo.isEmpty()) {
      return new NextRequest(system, view, Usage.NONE);
    }
    ModelReply reply;
    try {
      reply = complete(context.summaryRequest(history, upTo.getAsInt(), new Cancellation()));
    } catch (ModelException e) {
      if (e.isCancelled() || abortRequested) {
        throw e;
      }
      hooks.emit(
          new Event.RuntimeError(
              "the older steps could not be summarized ("
                  + e.getMessage()
                  + "); the request goes out with them cut but not summarized"));
      return new NextRequest(system, view, Usage.NONE);
    }
    String summary = reply.text().strip();
    if (summary.isEmpty()) {
      hooks.emit(
          new Event.RuntimeError(
              "the model wrote an empty summary of the older steps;"
                  + " the request goes out with them cut but not summarized"));
      return new NextRequest(system, view, reply.usage());
    }
    conversation.append(ContextView.summaryRecord(upTo.getAsInt(), summary));
    ContextView.View condensed =
        ContextView.of(conversation.messages(), config.runtime().context());
    hooks.emit(
        new Event.ContextCondensed(
            context.estimate(before), context.estimate(system.length() + condensed.viewChars())));
    return new NextRequest(system, condensed, reply.usage());
  }

  /**
   * The estimated prompt tokens the view kept out of this run's requests so far; a summary can be
   * longer than the few short steps it replaced, so a request may save less than nothing.
   */
  private long savedTokens() {
    return Math.max(0, savedChars) / ContextKeeper.CHARS_PER_TOKEN;
  }

  private ModelReply complete(ModelRequest request) throws ModelException {
    RunObserver observer = this.observer;
    if (observer == RunObserver.NONE) {
      return completeUnobserved(request);
    }
    StreamListener listener = request.listener();
    boolean[] streaming = {false};
    ModelRequest observed =
        new ModelRequest(
            request.systemPrompt(),
            request.messages(),
            text -> {
              if (!streaming[0]) {
                streaming[0] = true;
                observer.modelTextStarted();
              }
              listener.onText(text);
            },
            request.cancellation(),
            request.stablePrefix());
    observer.modelCallStarted(observed);
    ModelReply reply;
    try {
      reply = completeUnobserved(observed);
    } catch (ModelException e) {
      observer.modelCallFailed(e);
      throw e;
    }
    observer.modelCallEnded(reply);
    return reply;
  }

  private ModelReply completeUnobserved(ModelRequest request) throws ModelException {
    inFlight = request.cancellation();
    try {
      if (abortRequested) {
        throw ModelException.cancelled();
      }
      ModelReply reply = model.complete(request);
      if (reply == null) {
        throw new ModelException("the model returned no reply");
      }
      return reply;
    } catch (ModelException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelException("the model failed: " + e, e);
    } finally {
      inFlight = null;
    }
  }

  /**
   * The reply cut to the longest text the history keeps, before anything uses it: what runs is what
   * is saved, and the model sees in its history where its reply was cut.
   */
  private ModelReply withinLimit(ModelReply reply) {
    String text = Conversation.withinLimit(reply.text(), "reply");
    if (text == reply.text()) {
      return reply;
    }
    hooks.emit(
        new Event.RuntimeError(
            "the model's reply had "
                + reply.text().length()
                + " characters, more than the history keeps; it was cut to its first "
                + text.length()));
    return new ModelReply(text, reply.stopReason(), reply.usage());
  }

  private String handle(ModelReply reply, StepContext context) {
    ParsedReply parsed = ReplyParser.parse(reply.text());
    if (reply.stopReason() == StopReason.MAX_TOKENS || parsed.unclosed()) {
      String error =
          "the reply was cut off before its blocks were complete"
              + (reply.stopReason() == StopReason.MAX_TOKENS ? " (max_tokens reached)" : "")
              + ", so nothing was executed";
      hooks.emit(new Event.RuntimeError(error));
      return "[Your reply was cut off before its blocks were complete"
          + (reply.stopReason() == StopReason.MAX_TOKENS ? " (max_tokens reached)" : "")
          + "; nothing was executed. Send the block again, shorter: split large files into"
          + " several write_file calls with mode=\"a\" across steps.]";
    }
    if (parsed.controlBlock().isEmpty()) {
      return NO_BLOCK;
    }
    // A server the block uses that is still starting is waited for here, so that its object
    // is bound; one that failed ends the run with its ToolSourceException.
    lateTools.awaitUsed(parsed.controlBlock().get());
    Iterator<String> payloads = parsed.payloads().iterator();
    ToolDispatcher dispatcher = new ToolDispatcher(registry, context, payloads, observer);
    observer.blockStarted(parsed.controlBlock().get());
    ExecutionResult execution =
        sandbox.execute(
            parsed.controlBlock().get(),
            activeTools(),
            dispatcher,
            ContextView.results(conversation.messages()));
    observer.blockEnded(
        new RunObserver.BlockEnd(
            switch (execution.status()) {
              case OK -> RunObserver.BlockStatus.OK;
              case REJECTED -> RunObserver.BlockStatus.REFUSED;
              case ERROR -> RunObserver.BlockStatus.ERROR;
              case TIMEOUT -> RunObserver.BlockStatus.TIMEOUT;
              case RESET -> RunObserver.BlockStatus.RESET;
            },
            execution.output(),
            execution.error()));
    List<String> parts = new ArrayList<>();
    if (!execution.notice().isEmpty()) {
      parts.add(execution.notice());
    }
    if (execution.status() == ExecutionResult.Status.REJECTED) {
      hooks.emit(new Event.SecurityError(execution.error()));
      parts.add("SECURITY ERROR: " + execution.error());
      return truncate(String.join("\n\n", parts));
    }
    if (!execution.output().isEmpty()) {
      parts.add(execution.output().stripTrailing());
    }
    parts.addAll(context.results());
    if (execution.status() != ExecutionResult.Status.OK) {
      hooks.emit(new Event.RuntimeError(execution.error()));
      parts.add("EXECUTION ERROR:\n" + execution.error());
    }
    int unused = 0;
    while (payloads.hasNext()) {
      payloads.next();
      unused++;
    }
    if (unused > 0) {
      parts.add(
          "[Note: "
              + unused
              + " payload block"
              + (unused == 1 ? " was" : "s were")
              + " not used by any write_file call.]");
    }
    return truncate(parts.isEmpty() ? NO_OUTPUT : String.join("\n\n", parts));
  }

  private String truncate(String text) {
    return Text.truncate(text, config.runtime().maxOutputChars());
  }

  private LoopResult result(
      Ending ending, String summary, int steps, Usage usage, long started, String error) {
    return new LoopResult(
        ending,
        Optional.ofNullable(summary),
        steps,
        usage,
        Duration.ofNanos(System.nanoTime() - started),
        Optional.ofNullable(error),
        savedTokens());
  }
}
