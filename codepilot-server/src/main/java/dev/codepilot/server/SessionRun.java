package dev.codepilot.server;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.Event;
import dev.codepilot.model.Usage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A session's run: started on a virtual thread of its own, so the HTTP request that starts it
 * returns at once; how the last one ended. A run that throws still ends for the clients.
 *
 * <p>Shares its session's lock: the run's thread takes it to record the end; the other methods must
 * be called with it held.
 */
final class SessionRun {

  private static final System.Logger LOG = System.getLogger(SessionRun.class.getName());

  private final String id;
  private final ReentrantLock lock;
  private final SessionOutbox outbox;

  /** Told, with the lock held, that the run ended, and how when it gave a result. */
  private final Consumer<Optional<RunResult>> ended;

  private Thread thread;
  private RunResult last;

  SessionRun(
      String id, ReentrantLock lock, SessionOutbox outbox, Consumer<Optional<RunResult>> ended) {
    this.id = id;
    this.lock = lock;
    this.outbox = outbox;
    this.ended = ended;
  }

  boolean isRunning() {
    return thread != null;
  }

  /** The run's thread, while one runs. */
  Optional<Thread> thread() {
    return Optional.ofNullable(thread);
  }

  /** How the last run here ended, until the history is reset. */
  Optional<RunResult> last() {
    return Optional.ofNullable(last);
  }

  void forgetLast() {
    last = null;
  }

  /** Starts {@code task} on {@code agent}; {@code wrapper} wraps the run (the server's hook). */
  void start(AgentRuntime agent, String task, UnaryOperator<Runnable> wrapper) {
    last = null;
    Runnable body = wrapper.apply(() -> run(agent, task));
    thread = Thread.ofVirtual().name("codepilot-run-" + id).unstarted(body);
    thread.start();
  }

  private void run(AgentRuntime agent, String task) {
    RunResult result = null;
    try {
      result = agent.run(task);
    } catch (RuntimeException | Error e) {
      // A run that throws (a history that cannot be saved, say) still ends for the clients.
      LOG.log(System.Logger.Level.WARNING, "the run in session " + id + " failed", e);
      String error = "the run failed: " + e;
      result =
          new RunResult(
              RunResult.Outcome.FAILED,
              Optional.empty(),
              0,
              Usage.NONE,
              Duration.ZERO,
              Optional.of(error));
      outbox.broadcast(Messages.event(new Event.RuntimeError(error)));
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
    } finally {
      lock.lock();
      try {
        thread = null;
        if (result != null) {
          last = result;
        }
        ended.accept(Optional.ofNullable(result));
      } finally {
        lock.unlock();
      }
    }
  }
}
