package dev.codepilot.sandbox;

import dev.codepilot.internal.LastComputed;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolParameter;
import dev.codepilot.tools.ToolReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One runtime's Python interpreter: a locked-down GraalPy context that runs control blocks in a
 * namespace that persists from block to block, like a notebook kernel.
 *
 * <p>The context is built by {@link LockedContexts} with no file system, process, network,
 * native, thread, environment, host-class or polyglot access; the only door out is the tool
 * function the runtime binds, which takes plain data and returns text. Each block is checked
 * against the policy by a {@link PolicyChecker}, in a context of its own, before it runs, and a watchdog interrupts
 * it when its time in Python (time inside tools not counted) exceeds the timeout. Every call
 * into the context runs under that watchdog, so no code of a block ever runs unwatched. A
 * block stuck in one long operation no interrupt reaches (a power of a huge integer, say) is
 * abandoned: its caller gets a result at once and later blocks run on a fresh thread and
 * context, while the stuck one is cancelled in the background when its operation ends.
 *
 * <p>All work on the context happens on one thread owned by the sandbox, so callers may be on
 * any thread, virtual ones included. The context is created lazily; {@link #warmUp()} starts
 * creating it in the background. After {@link #releaseWhenIdle()} the context is closed if the
 * sandbox stays unused for the idle timeout, so that an idle runtime holds no interpreter; the
 * next block then runs in a fresh namespace and its result carries a notice saying so.
 */
public final class PythonSandbox implements AutoCloseable {

  /** How long an idle sandbox keeps its context by default. */
  public static final Duration DEFAULT_IDLE_RELEASE = Duration.ofMinutes(5);

  private static final String BOOTSTRAP = PolicyChecker.read("bootstrap.py");
  private static final long STACK_SIZE = 16L * 1024 * 1024;
  private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(3);
  private static final String MEMORY_STOPPED = "MemoryError: the block was stopped because the"
      + " Java heap that all agents share was nearly full, so the Python interpreter was"
      + " restarted to free it; variables and imports from earlier blocks are gone. Work on"
      + " less data at a time.";
  private static final ExecutionResult OUT_OF_MEMORY =
      new ExecutionResult(ExecutionResult.Status.RESET, "", MEMORY_STOPPED);
  /** Closes the contexts of idle sandboxes; one daemon thread for the whole JVM. */
  private static final ScheduledThreadPoolExecutor IDLE_TIMER = idleTimer();

  private final List<String> allowedImports;
  /** The allowed modules as the policy reads them, comma separated. */
  private final String allowedModules;
  private final Duration execTimeout;
  private final int maxOutputChars;
  private final Duration idleRelease;
  private volatile ThreadPoolExecutor thread;
  private volatile CompletableFuture<ExecutionResult> pending;

  private volatile Context context;
  private Value runFunction;
  private Value compileErrorFunction;
  private Value takeOutputFunction;
  private Value installToolsFunction;
  private String installedTools;
  /** The spec for {@code _cp_install_tools}, rendered again when the tools on offer change. */
  private final LastComputed<List<ToolDefinition>, String> renderedSpec =
      new LastComputed<>(PythonSandbox::toolSpec);
  /** Whether a block has run in the current namespace (sandbox thread only). */
  private boolean namespaceUsed;
  /** Whether an idle release discarded a used namespace since the last block (sandbox thread). */
  private boolean namespaceReleased;
  /** Bumped by every use, so that a release scheduled before it does nothing. Guarded by this. */
  private long uses;
  private ScheduledFuture<?> pendingRelease;
  private volatile ToolDispatcher dispatcher;
  /** The full texts of the session's execution results, for the running block's results. */
  private volatile List<String> resultTexts = List.of();
  private volatile ExecutionClock clock;
  private volatile boolean closed;
  /** Stops this sandbox's block when the shared heap runs low (see MemoryGuard). */
  private final MemoryGuard.Watch memoryWatch = MemoryGuard.shared().watch(this::stopRunaway);

  /**
   * A sandbox that releases its context after {@link #DEFAULT_IDLE_RELEASE} of idleness.
   *
   * @param allowedImports modules a block may import (and their submodules)
   * @param execTimeout    time a block may spend in Python
   * @param maxOutputChars limit on the printed output kept per block
   */
  public PythonSandbox(List<String> allowedImports, Duration execTimeout, int maxOutputChars) {
    this(allowedImports, execTimeout, maxOutputChars, DEFAULT_IDLE_RELEASE);
  }

  /**
   * @param allowedImports modules a block may import (and their submodules)
   * @param execTimeout    time a block may spend in Python
   * @param maxOutputChars limit on the printed output kept per block
   * @param idleRelease    how long the context is kept after {@link #releaseWhenIdle()} when the
   *                       sandbox is not used; zero or more
   */
  public PythonSandbox(List<String> allowedImports, Duration execTimeout, int maxOutputChars,
      Duration idleRelease) {
    this.allowedImports = List.copyOf(allowedImports);
    this.allowedModules = String.join(",", this.allowedImports);
    this.execTimeout = Objects.requireNonNull(execTimeout, "execTimeout");
    this.maxOutputChars = maxOutputChars;
    this.idleRelease = Objects.requireNonNull(idleRelease, "idleRelease");
    if (idleRelease.isNegative()) {
      throw new IllegalArgumentException("idleRelease must not be negative");
    }
    this.thread = newThread();
  }

  private static ThreadPoolExecutor newThread() {
    return new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        runnable -> {
          Thread t = new Thread(null, runnable, "codepilot-python", STACK_SIZE);
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Starts creating the context in the background so the first block does not wait for it, and
   * cancels a pending idle release.
   */
  public void warmUp() {
    markUsed();
    SandboxEngine.prewarm();
    PolicyChecker.SHARED.prewarm();
    submit(() -> {
      ensureContext();
      return null;
    });
  }

  /**
   * Checks and runs one control block, blocking until it ends.
   *
   * @param code       the block's source
   * @param tools      the tools to bind as Python functions
   * @param dispatcher runs the block's tool calls
   */
  public ExecutionResult execute(String code, List<ToolDefinition> tools, ToolDispatcher dispatcher) {
    return execute(code, tools, dispatcher, List.of());
  }

  /**
   * Checks and runs one control block, blocking until it ends.
   *
   * @param code       the block's source
   * @param tools      the tools to bind as Python functions
   * @param dispatcher runs the block's tool calls
   * @param results    the full texts of the session's execution results, oldest first: the
   *                   block reads them as {@code results}; read-only, and not to change while
   *                   the block runs (it is not copied, so a lazy list stays lazy)
   */
  public ExecutionResult execute(String code, List<ToolDefinition> tools, ToolDispatcher dispatcher,
      List<String> results) {
    Objects.requireNonNull(code, "code");
    List<String> texts = Objects.requireNonNull(results, "results");
    markUsed();
    String toolSpec = renderedSpec.get(List.copyOf(tools));
    // Made here, and completed without allocating when the heap ran out, so that the caller
    // always gets a result, even when the sandbox thread cannot report a failure.
    CompletableFuture<ExecutionResult> block = new CompletableFuture<>();
    pending = block;
    try {
      submit(() -> {
        try {
          block.complete(executeOnSandboxThread(code, toolSpec, dispatcher, texts));
        } catch (OutOfMemoryError e) {
          block.complete(OUT_OF_MEMORY);
        } catch (Throwable e) {
          block.completeExceptionally(e);
        }
        return null;
      }).whenComplete((ignored, failure) -> {
        if (failure != null) {
          block.completeExceptionally(failure);
        }
      });
      return await(block);
    } finally {
      pending = null;
    }
  }

  /**
   * Discards every variable, function and import of earlier blocks, and whatever else they
   * changed in the interpreter: the next block runs in a fresh context.
   */
  public void resetNamespace() {
    await(submit(() -> {
      discardContext(context);
      namespaceUsed = false;
      namespaceReleased = false;
      return null;
    }));
  }

  /**
   * Says the sandbox is idle: unless it is used again within the idle timeout, its context is
   * closed to free its memory (a few megabytes). Call it when a run ends.
   */
  public synchronized void releaseWhenIdle() {
    markUsed();
    if (closed) {
      return;
    }
    long scheduledAt = uses;
    pendingRelease = IDLE_TIMER.schedule(() -> submit(() -> {
      releaseIfUnused(scheduledAt);
      return null;
    }), idleRelease.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the sandbox holds a context now; waits for the work queued before. For tests. */
  boolean hasContext() {
    return await(submit(() -> context != null));
  }

  /** Closes the context and stops the sandbox's thread. Safe to call twice. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    markUsed();
    memoryWatch.close();
    try {
      await(submit(() -> {
        discardContext(context);
        return null;
      }));
    } finally {
      thread.shutdown();
    }
  }

  private ExecutionResult executeOnSandboxThread(String code, String toolSpec,
      ToolDispatcher callDispatcher, List<String> results) {
    resultTexts = results;
    ExecutionResult result;
    try {
      result = runBlock(code, toolSpec, callDispatcher);
    } finally {
      resultTexts = List.of();
    }
    if (result.status() != ExecutionResult.Status.REJECTED) {
      namespaceUsed = context != null;
    }
    if (namespaceReleased) {
      namespaceReleased = false;
      String when = idleRelease.isZero() ? "when its previous run ended"
          : "after it was idle for more than " + formatDuration(idleRelease);
      return result.withNotice("[Note: this agent's Python interpreter was released " + when
          + ", to free memory; variables, functions and imports from blocks before this one"
          + " are gone.]");
    }
    return result;
  }

  private ExecutionResult runBlock(String code, String toolSpec, ToolDispatcher callDispatcher) {
    ensureContext();
    Context mine = context;
    ExecutionClock blockClock = new ExecutionClock(execTimeout, this::stopRunaway);
    this.dispatcher = callDispatcher;
    this.clock = blockClock;
    // Blocks of all runtimes take turns for the cores (see BlockGate); the wait is short and
    // not counted against the block's time.
    BlockGate.Admission admission = BlockGate.SHARED.enter();
    // The clock runs from before the tools are installed until the result has been read: a
    // block may have left code (an audit hook, a crafted result) that runs at any of these.
    blockClock.start();
    memoryWatch.blockStarted();
    try {
      if (!toolSpec.equals(installedTools)) {
        installToolsFunction.executeVoid(toolSpec);
        installedTools = toolSpec;
      }
      PolicyChecker.Verdict verdict = PolicyChecker.SHARED.check(code, "exec", allowedModules);
      if (verdict.kind() != PolicyChecker.Verdict.Kind.OK) {
        blockClock.stop();
        return refused(verdict, code);
      }
      Value result = runFunction.execute(code);
      String status = result.getArrayElement(0).asString();
      String detail = result.getArrayElement(1).asString();
      String output = result.getArrayElement(2).asString();
      blockClock.stop();
      return switch (status) {
        case "ok" -> new ExecutionResult(ExecutionResult.Status.OK, output, "");
        case "security" -> new ExecutionResult(ExecutionResult.Status.REJECTED, "", detail);
        case "memory" -> {
          discardContext(mine);
          yield new ExecutionResult(ExecutionResult.Status.RESET, output, detail
              + "\nThe block ran out of memory. The Python namespace was cleared to free it;"
              + " variables and imports from earlier blocks are gone.");
        }
        default -> new ExecutionResult(ExecutionResult.Status.ERROR, output, detail);
      };
    } catch (PolyglotException e) {
      blockClock.stop();
      if (memoryWatch.stopped()) {
        return outOfMemory(mine);
      }
      return failed(mine, e, blockClock.expired());
    } catch (OutOfMemoryError e) {
      // Raised on this thread outside Python: the block still gets a result.
      blockClock.stop();
      return outOfMemory(mine);
    } catch (RuntimeException e) {
      // Not the (status, detail, output) strings _cp_run returns: the block tampered with it.
      blockClock.stop();
      discardContext(mine);
      return new ExecutionResult(ExecutionResult.Status.RESET, "",
          "RuntimeError: the Python interpreter returned a malformed result (" + e
              + ") and was restarted; variables and imports from earlier blocks are gone.");
    } finally {
      memoryWatch.blockEnded();
      admission.close();
      if (clock == blockClock) {
        this.dispatcher = null;
        this.clock = null;
      }
    }
  }

  /** The result of a block the policy refused, or could not parse: it never runs. */
  private ExecutionResult refused(PolicyChecker.Verdict verdict, String code) {
    if (verdict.kind() == PolicyChecker.Verdict.Kind.REJECTED) {
      return new ExecutionResult(ExecutionResult.Status.REJECTED, "", verdict.reason());
    }
    String error = compileErrorFunction.execute(code).asString();
    return error.isEmpty()
        ? new ExecutionResult(ExecutionResult.Status.REJECTED, "",
            "the block could not be parsed to be checked")
        : new ExecutionResult(ExecutionResult.Status.ERROR, "", error);
  }

  /**
   * The check of a string the block's interpreter compiles at run time (eval, exec, compile,
   * string annotations): empty when it may be compiled, otherwise why not.
   */
  private String checkCompiled(Value... args) {
    if (args.length != 2 || !args[0].isString() || !args[1].isString()) {
      return "bad arguments";
    }
    PolicyChecker.Verdict verdict = PolicyChecker.SHARED.check(args[0].asString(),
        args[1].asString(), allowedModules);
    return switch (verdict.kind()) {
      case OK -> "";
      case REJECTED -> verdict.reason();
      case UNPARSEABLE -> "the code could not be parsed to be checked";
    };
  }

  /** The result of a block stopped for memory; its namespace is discarded to free the heap. */
  private ExecutionResult outOfMemory(Context mine) {
    discardContext(mine);
    return OUT_OF_MEMORY;
  }

  private ExecutionResult failed(Context mine, PolyglotException e, boolean expired) {
    String seconds = formatSeconds(execTimeout);
    if (e.isInterrupted() || (expired && !e.isCancelled())) {
      return new ExecutionResult(ExecutionResult.Status.TIMEOUT, takeOutput(),
          "TimeoutError: the control block ran for more than " + seconds
              + " and was stopped. Variables it set before that are kept.");
    }
    if (e.isGuestException() && !expired && !e.isCancelled() && !e.isExit()
        && !e.isResourceExhausted()) {
      // An error the guest raised that no Python code can catch: the wall refusing something
      // the Python layers did not turn into a PermissionError first. The interpreter itself is
      // intact, so the block's variables are kept.
      return new ExecutionResult(ExecutionResult.Status.ERROR, takeOutput(),
          "PermissionError: the sandbox refused an operation of the block (" + e.getMessage()
              + "); the block stopped there. Variables it set before that are kept.");
    }
    discardContext(mine);
    if (expired || e.isCancelled()) {
      return new ExecutionResult(ExecutionResult.Status.RESET, "",
          "TimeoutError: the control block ran for more than " + seconds
              + " and could not be interrupted, so the Python interpreter was restarted;"
              + " variables and imports from earlier blocks are gone.");
    }
    if (e.isExit()) {
      return new ExecutionResult(ExecutionResult.Status.RESET, "",
          "SystemExit: the block exited the Python interpreter, so it was restarted;"
              + " variables and imports from earlier blocks are gone.");
    }
    if (e.isResourceExhausted()) {
      return new ExecutionResult(ExecutionResult.Status.RESET, "",
          "MemoryError: the block exhausted a resource (" + e.getMessage() + "), so the Python"
              + " interpreter was restarted; variables and imports from earlier blocks are gone.");
    }
    return new ExecutionResult(ExecutionResult.Status.RESET, "",
        "RuntimeError: the Python interpreter failed (" + e.getMessage() + ") and was restarted;"
            + " variables and imports from earlier blocks are gone.");
  }

  /** The output of an interrupted block; watched too, as it runs Python code. */
  private String takeOutput() {
    ExecutionClock guard = new ExecutionClock(INTERRUPT_GRACE, this::stopRunaway);
    guard.start();
    try {
      return takeOutputFunction.execute().asString();
    } catch (RuntimeException e) {
      return "";
    } finally {
      guard.stop();
    }
  }

  /**
   * Called by the watchdog: interrupt the block; if no interrupt reaches it within the grace
   * time, abandon it.
   */
  private void stopRunaway() {
    Context target = context;
    if (target == null) {
      return;
    }
    try {
      target.interrupt(INTERRUPT_GRACE);
    } catch (TimeoutException e) {
      abandon(target);
    } catch (IllegalStateException e) {
      // The context was closed meanwhile; nothing left to stop.
    }
  }

  /**
   * Gives up on a block stuck in one operation that no safepoint reaches. Its thread cannot be
   * stopped before that operation ends, so it is left behind: the context is cancelled in the
   * background (which takes effect when the operation ends), the sandbox moves to a fresh
   * thread, and the caller waiting for the block gets a RESET result now. The abandoned
   * thread finds the context replaced when it returns and touches nothing of its successor.
   */
  private synchronized void abandon(Context stuck) {
    if (context != stuck) {
      return;
    }
    ThreadPoolExecutor old = thread;
    thread = newThread();
    old.shutdown();
    context = null;
    runFunction = null;
    compileErrorFunction = null;
    takeOutputFunction = null;
    installToolsFunction = null;
    installedTools = null;
    dispatcher = null;
    clock = null;
    Thread.ofVirtual().name("codepilot-cancel").start(() -> closeQuietly(stuck));
    CompletableFuture<ExecutionResult> block = pending;
    if (block != null) {
      block.complete(memoryWatch.stopped() ? OUT_OF_MEMORY
          : new ExecutionResult(ExecutionResult.Status.RESET, "",
              "TimeoutError: the control block ran for more than " + formatSeconds(execTimeout)
                  + " inside one operation that could not be interrupted (such as arithmetic on"
                  + " a huge integer), so the Python interpreter was abandoned and a fresh one"
                  + " started; variables and imports from earlier blocks are gone."));
    }
  }

  private void ensureContext() {
    if (context != null) {
      return;
    }
    Context created = LockedContexts.builder().build();
    try {
      created.eval(Source.newBuilder("python", BOOTSTRAP, "<codepilot-bootstrap>").buildLiteral());
      Value bindings = created.getBindings("python");
      ProxyExecutable host = args -> callTool(created, args);
      ProxyExecutable results = args -> resultText(created, args);
      ProxyExecutable checkSource = args -> checkCompiled(args);
      ProxyExecutable checkAttr = args -> args.length == 1 && args[0].isString()
          ? PolicyChecker.SHARED.attrProblem(args[0].asString()) : "bad attribute name";
      ProxyExecutable moduleAllowed = args -> args.length == 1 && args[0].isString()
          && PolicyChecker.SHARED.moduleAllowed(args[0].asString(), allowedModules);
      bindings.getMember("_cp_configure").executeVoid(
          host, results, checkSource, checkAttr, moduleAllowed, maxOutputChars);
      runFunction = bindings.getMember("_cp_run");
      compileErrorFunction = bindings.getMember("_cp_compile_error");
      takeOutputFunction = bindings.getMember("_cp_take_output");
      installToolsFunction = bindings.getMember("_cp_install_tools");
    } catch (RuntimeException e) {
      created.close(true);
      throw e;
    }
    context = created;
    installedTools = null;
    namespaceUsed = false;
  }

  private Object callTool(Context caller, Value... args) {
    ToolDispatcher current = dispatcher;
    ExecutionClock currentClock = clock;
    if (caller != context || current == null || currentClock == null) {
      return BlockValues.encode(new ToolReply.Raised("RuntimeError",
          "tools can only be called while a control block runs"));
    }
    if (args.length != 3 || !args[0].isString()) {
      return BlockValues.encode(new ToolReply.Raised("TypeError", "bad tool call"));
    }
    // Reading the arguments can run code of the block (a crafted sequence or number), so the
    // clock keeps running; only the tool itself runs on paused time.
    String toolName = args[0].asString();
    Map<String, Object> passed;
    try {
      passed = BlockValues.arguments(args[1], args[2]);
    } catch (IllegalArgumentException e) {
      return BlockValues.encode(new ToolReply.Raised("TypeError", toolName + "(): " + e.getMessage()));
    }
    currentClock.pause();
    try {
      return BlockValues.encode(current.dispatch(toolName, passed));
    } finally {
      currentClock.resume();
    }
  }

  /**
   * For the block's {@code results}: with -1 the number of execution results, with an index
   * from 0 the full text of that result.
   */
  private Object resultText(Context caller, Value... args) {
    List<String> texts = resultTexts;
    if (caller != context || args.length != 1 || !args[0].fitsInInt()) {
      return -2;
    }
    int index = args[0].asInt();
    if (index == -1) {
      return texts.size();
    }
    return index >= 0 && index < texts.size() ? texts.get(index) : -2;
  }

  /** Closes {@code old}, and forgets it if it is still the current context. */
  private void discardContext(Context old) {
    synchronized (this) {
      if (old != null && old == context) {
        context = null;
        runFunction = null;
        compileErrorFunction = null;
        takeOutputFunction = null;
        installToolsFunction = null;
        installedTools = null;
      }
    }
    closeQuietly(old);
  }

  private static void closeQuietly(Context old) {
    if (old != null) {
      try {
        old.close(true);
      } catch (RuntimeException e) {
        // Already closed or cancelled: nothing more to release.
      }
    }
  }

  /** Cancels a pending idle release: the sandbox is in use. */
  private synchronized void markUsed() {
    uses++;
    if (pendingRelease != null) {
      pendingRelease.cancel(false);
      pendingRelease = null;
    }
  }

  /** On the sandbox thread: closes the context unless the sandbox was used since scheduledAt. */
  private void releaseIfUnused(long scheduledAt) {
    synchronized (this) {
      if (uses != scheduledAt) {
        return;
      }
      pendingRelease = null;
    }
    if (context != null) {
      namespaceReleased |= namespaceUsed;
      discardContext(context);
    }
  }

  private <T> CompletableFuture<T> submit(Supplier<T> work) {
    if (thread.isShutdown()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the sandbox is closed"));
    }
    return CompletableFuture.supplyAsync(work, thread);
  }

  private static <T> T await(CompletableFuture<T> future) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The tools as the bootstrap's {@code _cp_install_tools} reads them. */
  private static String toolSpec(List<ToolDefinition> tools) {
    StringBuilder spec = new StringBuilder();
    for (ToolDefinition tool : tools) {
      if (!spec.isEmpty()) {
        spec.append('\u001e');
      }
      spec.append(tool.name()).append('\u001f');
      for (ToolParameter p : tool.parameters()) {
        spec.append(p.name()).append(p.required() ? "," : "=,");
      }
      spec.append('\u001f').append(tool.description().replace('\u001e', ' ').replace('\u001f', ' '))
          .append('\u001f').append(tool.signature().replace('\u001e', ' ').replace('\u001f', ' '));
    }
    return spec.toString();
  }

  private static String formatDuration(Duration duration) {
    long minutes = duration.toMinutes();
    if (minutes >= 1 && duration.toSecondsPart() == 0) {
      return minutes + (minutes == 1 ? " minute" : " minutes");
    }
    return formatSeconds(duration);
  }

  private static ScheduledThreadPoolExecutor idleTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().daemon().name("codepilot-sandbox-idle").factory());
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  private static String formatSeconds(Duration duration) {
    double seconds = duration.toMillis() / 1000.0;
    return (seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds))
        + " s";
  }
}
