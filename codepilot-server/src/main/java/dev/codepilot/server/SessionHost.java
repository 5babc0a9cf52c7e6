package dev.codepilot.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.Event;
import dev.codepilot.model.Message;
import dev.codepilot.server.PendingInput.Kind;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.SessionException;
import dev.codepilot.session.SessionInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One session as the server holds it, and the HTTP API's operations on it: create, run, send a
 * message, answer, abort, reset, delete, read. The parts it is made of each do one job: its {@link
 * SessionRuntime} (open while in use), its {@link SessionRun} (the run in progress), its {@link
 * BrowserInputs} (what the run asks the browser), its {@link SessionOutbox} and the {@link
 * EventHub} its WebSocket clients listen on.
 *
 * <p>Methods that take no lock themselves must be called with {@link #lock()} held; the {@link
 * SessionRegistry} does that, and checks {@link #isRemoved()} under the same lock.
 */
final class SessionHost {

  private static final System.Logger LOG = System.getLogger(SessionHost.class.getName());

  private final String id;
  private final Settings settings;
  private final Clock clock;
  private final EventHub hub;
  private final ReentrantLock lock = new ReentrantLock();
  private final SessionOutbox outbox;
  private final BrowserInputs inputs;
  private final SessionRun run;
  private final SessionRuntime runtime;

  private Instant lastUsed;
  private boolean removed;

  SessionHost(String id, Settings settings, Clock clock) {
    this.id = id;
    this.settings = settings;
    this.clock = clock;
    this.hub = new EventHub(id, settings.replayCapacity(), settings.clientCapacity());
    this.outbox = new SessionOutbox(id, hub, settings.store());
    this.inputs = new BrowserInputs(id, lock, settings.answerTimeout(), outbox, this::touch);
    this.run = new SessionRun(id, lock, outbox, this::runEnded);
    this.runtime = new SessionRuntime(id, settings, this::wire);
    this.lastUsed = clock.instant();
  }

  ReentrantLock lock() {
    return lock;
  }

  String id() {
    return id;
  }

  EventHub hub() {
    return hub;
  }

  boolean isRemoved() {
    return removed;
  }

  boolean isRunning() {
    return run.isRunning();
  }

  boolean isLive() {
    return runtime.current().isPresent();
  }

  /** True when the session is open here or saved in the session directory or store. */
  boolean exists() {
    return runtime.exists();
  }

  // ---- the HTTP API's operations; the caller holds the lock ----

  /** Creates the session: opens it and saves an empty history, so it is listed from now on. */
  void create() {
    if (exists()) {
      throw ApiException.conflict("session '" + id + "' already exists");
    }
    AgentRuntime opened = open();
    try {
      opened.session().save(List.of());
    } catch (SessionException e) {
      throw ApiException.conflict("cannot create session '" + id + "': " + e.getMessage());
    } finally {
      releaseIfShared();
    }
  }

  /**
   * Starts a run of {@code task} on a virtual thread and returns at once; {@code headers} looks up
   * the headers of the request that started it, for the server's run wrapper.
   */
  void startRun(String task, Function<String, String> headers) {
    if (isRunning()) {
      throw ApiException.conflict(
          "a run is already in progress in session '" + id + "'; wait for it to end, or abort it");
    }
    AgentRuntime agent = open();
    hub.beginRun();
    inputs.runStarted();
    run.start(agent, task, body -> settings.runWrapper().apply(headers, body));
  }

  /** Queues a message for the run in progress. */
  void inject(String message) {
    requireRunning("send a message");
    runtime.current().orElseThrow().sendMessage(message);
    touch();
  }

  /** Answers the pending {@code ask_user} question. */
  void answer(Optional<Long> requestId, String answer) {
    inputs.resolve(Kind.QUESTION, requestId, answer);
  }

  /** Approves or denies the pending permission request. */
  void decide(Optional<Long> requestId, boolean approve) {
    inputs.resolve(Kind.PERMISSION, requestId, approve);
  }

  /** Stops the run after its current step; a pending question or request is answered "no". */
  void abort() {
    requireRunning("abort");
    stopRun();
    touch();
  }

  /** Wipes the history, the saved file and the Python namespace. */
  void reset() {
    if (isRunning()) {
      throw ApiException.conflict(
          "cannot reset session '" + id + "' while a run is in progress;" + " abort it first");
    }
    if (!exists()) {
      throw notFound();
    }
    try {
      open().reset();
    } finally {
      releaseIfShared();
    }
    run.forgetLast();
  }

  /** Deletes the saved session and closes its runtime; its WebSocket clients are closed. */
  void delete() {
    if (isRunning()) {
      throw ApiException.conflict(
          "cannot delete session '" + id + "' while a run is in progress;" + " abort it first");
    }
    if (!exists()) {
      throw notFound();
    }
    try {
      Optional<AgentRuntime> open = runtime.current();
      if (open.isPresent()) {
        open.get().session().reset();
      } else if (settings.store().isPresent()) {
        settings.store().get().delete(id);
      } else {
        try (FileSession file =
            new FileSession(id, settings.agent().name(), settings.sessionDir())) {
          file.reset();
        }
      }
    } catch (SessionException e) {
      throw ApiException.conflict("cannot delete session '" + id + "': " + e.getMessage());
    } finally {
      runtime.close();
    }
    removed = true;
    hub.closeAll(1000, "session deleted");
  }

  /** The transcript, oldest first. */
  List<Message> messages() {
    if (!exists()) {
      throw notFound();
    }
    if (runtime.current().isEmpty() && settings.store().isPresent()) {
      // Read without taking the session: it may be running on another server.
      try {
        return settings.store().get().readMessages(id).orElseThrow(this::notFound);
      } catch (SessionException e) {
        throw ApiException.unavailable(e.getMessage());
      }
    }
    return open().messages();
  }

  /** The session's state, as the API shows it. */
  ObjectNode status() {
    Optional<AgentRuntime> open = runtime.current();
    Optional<SessionInfo> info = open.isEmpty() ? runtime.savedInfo() : Optional.empty();
    if (open.isEmpty() && info.isEmpty()) {
      throw notFound();
    }
    boolean reportsHolder = open.isEmpty() && settings.store().isPresent();
    Optional<String> holder = reportsHolder ? settings.store().get().holder(id) : Optional.empty();
    int messageCount = open.isPresent() ? open.get().messages().size() : info.get().messageCount();
    return new SessionStatus(
            id,
            settings.agent().name(),
            open.isPresent(),
            isRunning(),
            reportsHolder,
            holder,
            messageCount,
            inputs.pending(),
            run.last())
        .toJson();
  }

  // ---- eviction and shutdown ----

  /**
   * Closes the runtime when it has been idle (no run, nothing pending, no request) for longer than
   * the idle timeout; its history stays on disk and the next use opens it again. Returns true when
   * nothing is left to keep: no runtime, no run and no WebSocket client.
   */
  boolean evictIfIdle(Instant now) {
    if (isLive()
        && !isRunning()
        && inputs.pending().isEmpty()
        && lastUsed.plus(settings.idleTimeout()).isBefore(now)) {
      LOG.log(System.Logger.Level.DEBUG, "closing idle session " + id);
      runtime.close();
    }
    boolean disposable = !isLive() && !isRunning() && hub.clientCount() == 0;
    if (disposable) {
      removed = true;
    }
    return disposable;
  }

  /** Aborts the run in progress, if any, and returns its thread so the caller can wait for it. */
  Optional<Thread> stop() {
    removed = true;
    Optional<Thread> thread = run.thread();
    if (thread.isPresent()) {
      stopRun();
    }
    return thread;
  }

  /** Closes the runtime and the clients, once the run has ended. */
  void close() {
    removed = true;
    runtime.close();
    hub.closeAll(1001, "the server is shutting down");
  }

  // ---- helpers; the caller holds the lock ----

  /** Connects a new runtime to this session's clients and to the browser's answers. */
  private void wire(AgentRuntime opened) {
    // The announcing handlers first, so that the input is pending when the event goes out.
    inputs.announceFrom(opened);
    opened.hooks().on(Event.class, event -> outbox.broadcast(Messages.event(event)));
    opened.addStreamListener(outbox::modelText);
    inputs.answerFor(opened);
    settings.customizer().accept(opened);
  }

  /** The runtime, opened (and the saved history loaded) on first use. */
  private AgentRuntime open() {
    touch();
    return runtime.open();
  }

  /** Aborts the run in progress; what it asks the browser is answered "no" from now on. */
  private void stopRun() {
    inputs.refuseFromNow();
    runtime.current().orElseThrow().abort();
    inputs.cancel("abort");
  }

  /** Called by the run's thread, with the lock held, once the run has ended. */
  private void runEnded(Optional<RunResult> result) {
    touch();
    result.ifPresent(ended -> outbox.endRun(Messages.runEnd(ended)));
    releaseIfShared();
  }

  /**
   * With a shared store, closes the runtime once nothing runs, so that the session's lock is free
   * for the next run on any server; the next use here opens it again from the store.
   */
  private void releaseIfShared() {
    if (settings.store().isPresent() && !run.isRunning() && inputs.pending().isEmpty()) {
      runtime.close();
    }
  }

  private void requireRunning(String action) {
    if (!isRunning()) {
      throw ApiException.conflict(
          "no run is in progress in session '" + id + "'; cannot " + action);
    }
  }

  private void touch() {
    lastUsed = clock.instant();
  }

  private ApiException notFound() {
    return ApiException.notFound("no session '" + id + "'");
  }
}
