package dev.codepilot.sandbox;

import dev.codepilot.internal.LastComputed;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolDispatcher;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * One runtime's Python interpreter: a locked-down GraalPy context that runs control blocks in a
 * namespace that persists from block to block, like a notebook kernel.
 *
 * <p>The context is built by {@link LockedContexts} with no file system, process, network, native,
 * thread, environment, host-class or polyglot access; the only door out is the tool function the
 * runtime binds, which takes plain data and returns text. Each block is checked against the policy
 * by a {@link PolicyChecker}, in a context of its own, before it runs, and a watchdog interrupts it
 * when its time in Python (time inside tools not counted) exceeds the timeout. Every call into the
 * context runs under that watchdog, so no code of a block ever runs unwatched. A block stuck in one
 * long operation no interrupt reaches (a power of a huge integer, say) is abandoned: its caller
 * gets a result at once and later blocks run on a fresh thread and context, while the stuck one is
 * cancelled in the background when its operation ends.
 *
 * <p>All work on the context happens on one thread owned by the sandbox ({@link SandboxThread}), so
 * callers may be on any thread, virtual ones included. The context is created lazily; {@link
 * #warmUp()} starts creating it in the background. After {@link #releaseWhenIdle()} the context is
 * closed if the sandbox stays unused for the idle timeout, so that an idle runtime holds no
 * interpreter; the next block then runs in a fresh namespace and its result carries a notice saying
 * so ({@link IdleRelease}).
 *
 * <p>This class runs blocks and decides what happens to the context when one fails; the parts are
 * elsewhere: the context and its bootstrap in {@link BlockContext}, the host functions a block
 * calls in {@link ToolBridge}, the wording of results in {@link BlockResults}.
 */
public final class PythonSandbox implements AutoCloseable {

  /** How long an idle sandbox keeps its context by default. */
  public static final Duration DEFAULT_IDLE_RELEASE = Duration.ofMinutes(5);

  private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(3);

  private final Duration execTimeout;
  private final int maxOutputChars;
  private final IdleRelease idle;
  private final SandboxThread thread = new SandboxThread();
  private final ToolBridge bridge;
  private volatile CompletableFuture<ExecutionResult> pending;

  /** The interpreter, or null until one is needed; replaced under this object's lock. */
  private volatile BlockContext current;

  /** The spec for {@code _cp_install_tools}, rendered again when the tools on offer change. */
  private final LastComputed<List<ToolDefinition>, String> renderedSpec =
      new LastComputed<>(ToolBridge::toolSpec);

  /** Whether a block has run in the current namespace (sandbox thread only). */
  private boolean namespaceUsed;

  /** Whether an idle release discarded a used namespace since the last block (sandbox thread). */
  private boolean namespaceReleased;

  private volatile boolean closed;

  /** Stops this sandbox's block when the shared heap runs low (see MemoryGuard). */
  private final MemoryGuard.Watch memoryWatch = MemoryGuard.shared().watch(this::stopRunaway);

  /**
   * A sandbox that releases its context after {@link #DEFAULT_IDLE_RELEASE} of idleness.
   *
   * @param allowedImports modules a block may import (and their submodules)
   * @param execTimeout time a block may spend in Python
   * @param maxOutputChars limit on the printed output kept per block
   */
  public PythonSandbox(List<String> allowedImports, Duration execTimeout, int maxOutputChars) {
    this(allowedImports, execTimeout, maxOutputChars, DEFAULT_IDLE_RELEASE);
  }

  /**
   * @param allowedImports modules a block may import (and their submodules)
   * @param execTimeout time a block may spend in Python
   * @param maxOutputChars limit on the printed output kept per block
   * @param idleRelease how long the context is kept after {@link #releaseWhenIdle()} when the
   *     sandbox is not used; zero or more
   */
  public PythonSandbox(
      List<String> allowedImports, Duration execTimeout, int maxOutputChars, Duration idleRelease) {
    this.bridge =
        new ToolBridge(String.join(",", List.copyOf(allowedImports)), this::activeContext);
    this.execTimeout = Objects.requireNonNull(execTimeout, "execTimeout");
    this.maxOutputChars = maxOutputChars;
    this.idle = new IdleRelease(Objects.requireNonNull(idleRelease, "idleRelease"));
  }

  /**
   * Starts creating the context in the background so the first block does not wait for it, and
   * cancels a pending idle release.
   */
  public void warmUp() {
    idle.markUsed();
    SandboxEngine.prewarm();
    PolicyChecker.SHARED.prewarm();
    thread.submit(
        () -> {
          ensureContext();
          return null;
        });
  }

  /**
   * Checks and runs one control block, blocking until it ends.
   *
   * @param code the block's source
   * @param tools the tools to bind as Python functions
   * @param dispatcher runs the block's tool calls
   */
  public ExecutionResult execute(
      String code, List<ToolDefinition> tools, ToolDispatcher dispatcher) {
    return execute(code, tools, dispatcher, List.of());
  }

  /**
   * Checks and runs one control block, blocking until it ends.
   *
   * @param code the block's source
   * @param tools the tools to bind as Python functions
   * @param dispatcher runs the block's tool calls
   * @param results the full texts of the session's execution results, oldest first: the block reads
   *     them as {@code results}; read-only, and not to change while the block runs (it is not
   *     copied, so a lazy list stays lazy)
   */
  public ExecutionResult execute(
      String code, List<ToolDefinition> tools, ToolDispatcher dispatcher, List<String> results) {
    Objects.requireNonNull(code, "code");
    List<String> texts = Objects.requireNonNull(results, "results");
    idle.markUsed();
    String toolSpec = renderedSpec.get(List.copyOf(tools));
    // Made here, and completed without allocating when the heap ran out, so that the caller
    // always gets a result, even when the sandbox thread cannot report a failure.
    CompletableFuture<ExecutionResult> block = new CompletableFuture<>();
    pending = block;
    try {
      thread
          .submit(
              () -> {
                try {
                  block.complete(executeOnSandboxThread(code, toolSpec, dispatcher, texts));
                } catch (OutOfMemoryError e) {
                  block.complete(BlockResults.OUT_OF_MEMORY);
                } catch (Throwable e) {
                  block.completeExceptionally(e);
                }
                return null;
              })
          .whenComplete(
              (ignored, failure) -> {
                if (failure != null) {
                  block.completeExceptionally(failure);
                }
              });
      return SandboxThread.await(block);
    } finally {
      pending = null;
    }
  }

  /**
   * Discards every variable, function and import of earlier blocks, and whatever else they changed
   * in the interpreter: the next block runs in a fresh context.
   */
  public void resetNamespace() {
    SandboxThread.await(
        thread.submit(
            () -> {
              discardContext(current);
              namespaceUsed = false;
              namespaceReleased = false;
              return null;
            }));
  }

  /**
   * Says the sandbox is idle: unless it is used again within the idle timeout, its context is
   * closed to free its memory (a few megabytes). Call it when a run ends.
   */
  public void releaseWhenIdle() {
    if (closed) {
      idle.markUsed();
      return;
    }
    idle.schedule(
        scheduledAt ->
            thread.submit(
                () -> {
                  releaseIfUnused(scheduledAt);
                  return null;
                }));
  }

  /** Whether the sandbox holds a context now; waits for the work queued before. For tests. */
  boolean hasContext() {
    return SandboxThread.await(thread.submit(() -> current != null));
  }

  /** Closes the context and stops the sandbox's thread. Safe to call twice. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    idle.markUsed();
    memoryWatch.close();
    try {
      SandboxThread.await(
          thread.submit(
              () -> {
                discardContext(current);
                return null;
              }));
    } finally {
      thread.shutdown();
    }
  }

  private ExecutionResult executeOnSandboxThread(
      String code, String toolSpec, ToolDispatcher callDispatcher, List<String> results) {
    ExecutionResult result = runBlock(code, toolSpec, callDispatcher, results);
    if (result.status() != ExecutionResult.Status.REJECTED) {
      namespaceUsed = current != null;
    }
    if (namespaceReleased) {
      namespaceReleased = false;
      return result.withNotice(BlockResults.releasedNotice(idle.timeout()));
    }
    return result;
  }

  private ExecutionResult runBlock(
      String code, String toolSpec, ToolDispatcher callDispatcher, List<String> results) {
    BlockContext mine = ensureContext();
    ExecutionClock blockClock = new ExecutionClock(execTimeout, this::stopRunaway);
    bridge.blockStarted(callDispatcher, blockClock, results);
    // Blocks of all runtimes take turns for the cores (see BlockGate); the wait is short and
    // not counted against the block's time.
    BlockGate.Admission admission = BlockGate.SHARED.enter();
    // The clock runs from before the tools are installed until the result has been read: a
    // block may have left code (an audit hook, a crafted result) that runs at any of these.
    blockClock.start();
    memoryWatch.blockStarted();
    try {
      mine.installTools(toolSpec);
      PolicyChecker.Verdict verdict =
          PolicyChecker.SHARED.check(code, "exec", bridge.allowedModules());
      if (verdict.kind() != PolicyChecker.Verdict.Kind.OK) {
        blockClock.stop();
        return verdict.kind() == PolicyChecker.Verdict.Kind.REJECTED
            ? BlockResults.refused(verdict.reason())
            : BlockResults.unparseable(mine.compileError(code));
      }
      Value result = mine.run(code);
      String status = result.getArrayElement(0).asString();
      String detail = result.getArrayElement(1).asString();
      String output = result.getArrayElement(2).asString();
      blockClock.stop();
      if (status.equals("memory")) {
        discardContext(mine);
      }
      return BlockResults.ofRun(status, detail, output);
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
      return BlockResults.malformed(e);
    } finally {
      memoryWatch.blockEnded();
      admission.close();
      bridge.blockEnded(blockClock);
    }
  }

  /** The result of a block stopped for memory; its namespace is discarded to free the heap. */
  private ExecutionResult outOfMemory(BlockContext mine) {
    discardContext(mine);
    return BlockResults.OUT_OF_MEMORY;
  }

  private ExecutionResult failed(BlockContext mine, PolyglotException e, boolean expired) {
    if (e.isInterrupted() || (expired && !e.isCancelled())) {
      return BlockResults.timedOut(execTimeout, takeOutput(mine));
    }
    if (e.isGuestException()
        && !expired
        && !e.isCancelled()
        && !e.isExit()
        && !e.isResourceExhausted()) {
      // An error the guest raised that no Python code can catch: the wall refusing something
      // the Python layers did not turn into a PermissionError first. The interpreter itself is
      // intact, so the block's variables are kept.
      return BlockResults.wallRefused(e.getMessage(), takeOutput(mine));
    }
    discardContext(mine);
    if (expired || e.isCancelled()) {
      return BlockResults.notInterruptible(execTimeout);
    }
    if (e.isExit()) {
      return BlockResults.exited();
    }
    if (e.isResourceExhausted()) {
      return BlockResults.exhausted(e.getMessage());
    }
    return BlockResults.interpreterFailed(e.getMessage());
  }

  /** The output of an interrupted block; watched too, as it runs Python code. */
  private String takeOutput(BlockContext mine) {
    ExecutionClock guard = new ExecutionClock(INTERRUPT_GRACE, this::stopRunaway);
    guard.start();
    try {
      return mine.takeOutput();
    } catch (RuntimeException e) {
      return "";
    } finally {
      guard.stop();
    }
  }

  /**
   * Called by the watchdog: interrupt the block; if no interrupt reaches it within the grace time,
   * abandon it.
   */
  private void stopRunaway() {
    BlockContext target = current;
    if (target == null) {
      return;
    }
    try {
      target.context().interrupt(INTERRUPT_GRACE);
    } catch (TimeoutException e) {
      abandon(target);
    } catch (IllegalStateException e) {
      // The context was closed meanwhile; nothing left to stop.
    }
  }

  /**
   * Gives up on a block stuck in one operation that no safepoint reaches. Its thread cannot be
   * stopped before that operation ends, so it is left behind: the context is cancelled in the
   * background (which takes effect when the operation ends), the sandbox moves to a fresh thread,
   * and the caller waiting for the block gets a RESET result now. The abandoned thread finds the
   * context replaced when it returns and touches nothing of its successor.
   */
  private synchronized void abandon(BlockContext stuck) {
    if (current != stuck) {
      return;
    }
    thread.replace();
    current = null;
    bridge.cutOff();
    Thread.ofVirtual().name("codepilot-cancel").start(stuck::close);
    CompletableFuture<ExecutionResult> block = pending;
    if (block != null) {
      block.complete(
          memoryWatch.stopped() ? BlockResults.OUT_OF_MEMORY : BlockResults.abandoned(execTimeout));
    }
  }

  /** The current context, created if there is none (sandbox thread). */
  private BlockContext ensureContext() {
    BlockContext existing = current;
    if (existing != null) {
      return existing;
    }
    BlockContext created = BlockContext.create(bridge, maxOutputChars);
    current = created;
    namespaceUsed = false;
    return created;
  }

  /** The context whose host calls are answered: the current one. */
  private Context activeContext() {
    BlockContext active = current;
    return active == null ? null : active.context();
  }

  /** Closes {@code old}, and forgets it if it is still the current context. */
  private void discardContext(BlockContext old) {
    if (old == null) {
      return;
    }
    synchronized (this) {
      if (old == current) {
        current = null;
      }
    }
    old.close();
  }

  /** On the sandbox thread: closes the context unless the sandbox was used since scheduledAt. */
  private void releaseIfUnused(long scheduledAt) {
    if (!idle.claim(scheduledAt)) {
      return;
    }
    BlockContext existing = current;
    if (existing != null) {
      namespaceReleased |= namespaceUsed;
      discardContext(existing);
    }
  }
}
