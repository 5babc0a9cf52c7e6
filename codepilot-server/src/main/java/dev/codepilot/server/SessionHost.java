package dev.codepilot.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.internal.Json;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.Usage;
import dev.codepilot.server.PendingInput.Kind;
import dev.codepilot.server.PendingInput.Reply;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.SessionException;
import dev.codepilot.session.SessionInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session as the server holds it: its runtime while open (file-backed, holding the session's
 * lock), the run in progress, the question or permission request waiting for the browser, and
 * the {@link EventHub} its WebSocket clients listen on.
 *
 * <p>Methods that take no lock themselves must be called with {@link #lock()} held; the
 * {@link SessionRegistry} does that, and checks {@link #isRemoved()} under the same lock.
 */
final class SessionHost {

  private static final System.Logger LOG = System.getLogger(SessionHost.class.getName());

  private final String id;
  private final Settings settings;
  private final Clock clock;
  private final EventHub hub;
  private final ReentrantLock lock = new ReentrantLock();

  private AgentRuntime runtime;
  private Thread runThread;
  private PendingInput pending;
  private long pendingCount;
  private RunResult lastRun;
  /** The run in progress was aborted: what it asks from now on is refused at once. */
  private boolean aborting;
  private Instant lastUsed;
  private boolean removed;

  SessionHost(String id, Settings settings, Clock clock) {
    this.id = id;
    this.settings = settings;
    this.clock = clock;
    this.hub = new EventHub(id, settings.replayCapacity(), settings.clientCapacity());
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
    return runThread != null;
  }

  boolean isLive() {
    return runtime != null;
  }

  /** True when the session is open here or saved in the session directory or store. */
  boolean exists() {
    return runtime != null || savedInfo().isPresent();
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
   * Starts a run of {@code task} on a virtual thread and returns at once; {@code headers}
   * looks up the headers of the request that started it, for the server's run wrapper.
   */
  void startRun(String task, java.util.function.Function<String, String> headers) {
    if (isRunning()) {
      throw ApiException.conflict("a run is already in progress in session '" + id
          + "'; wait for it to end, or abort it");
    }
    AgentRuntime agent = open();
    hub.beginRun();
    lastRun = null;
    aborting = false;
    Runnable body = settings.runWrapper().apply(headers, () -> run(agent, task));
    runThread = Thread.ofVirtual().name("codepilot-run-" + id).unstarted(body);
    runThread.start();
  }

  /** Queues a message for the run in progress. */
  void inject(String message) {
    requireRunning("send a message");
    runtime.sendMessage(message);
    touch();
  }

  /** Answers the pending {@code ask_user} question. */
  void answer(Optional<Long> requestId, String answer) {
    resolve(Kind.QUESTION, requestId, answer);
  }

  /** Approves or denies the pending permission request. */
  void decide(Optional<Long> requestId, boolean approve) {
    resolve(Kind.PERMISSION, requestId, approve);
  }

  /** Stops the run after its current step; a pending question or request is answered "no". */
  void abort() {
    requireRunning("abort");
    aborting = true;
    runtime.abort();
    cancelPending("abort");
    touch();
  }

  /** Wipes the history, the saved file and the Python namespace. */
  void reset() {
    if (isRunning()) {
      throw ApiException.conflict("cannot reset session '" + id + "' while a run is in progress;"
          + " abort it first");
    }
    if (!exists()) {
      throw notFound();
    }
    try {
      open().reset();
    } finally {
      releaseIfShared();
    }
    lastRun = null;
  }

  /** Deletes the saved session and closes its runtime; its WebSocket clients are closed. */
  void delete() {
    if (isRunning()) {
      throw ApiException.conflict("cannot delete session '" + id + "' while a run is in progress;"
          + " abort it first");
    }
    if (!exists()) {
      throw notFound();
    }
    try {
      if (runtime != null) {
        runtime.session().reset();
      } else if (settings.store().isPresent()) {
        settings.store().get().delete(id);
      } else {
        try (FileSession file = new FileSession(id, settings.agent().name(),
            settings.sessionDir())) {
          file.reset();
        }
      }
    } catch (SessionException e) {
      throw ApiException.conflict("cannot delete session '" + id + "': " + e.getMessage());
    } finally {
      closeRuntime();
    }
    removed = true;
    hub.closeAll(1000, "session deleted");
  }

  /** The transcript, oldest first. */
  List<Message> messages() {
    if (!exists()) {
      throw notFound();
    }
    if (runtime == null && settings.store().isPresent()) {
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
    Optional<SessionInfo> info = runtime == null ? savedInfo() : Optional.empty();
    if (runtime == null && info.isEmpty()) {
      throw notFound();
    }
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("id", id);
    node.put("agent", settings.agent().name());
    node.put("live", runtime != null);
    node.put("running", isRunning());
    if (runtime == null && settings.store().isPresent()) {
      // "host H (pid P) since T" when another server runs it now.
      Optional<String> holder = settings.store().get().holder(id);
      if (holder.isPresent()) {
        node.put("running_elsewhere", holder.get());
      } else {
        node.putNull("running_elsewhere");
      }
    }
    node.put("message_count", runtime != null ? runtime.messages().size()
        : info.get().messageCount());
    if (pending == null) {
      node.putNull("pending");
    } else {
      ObjectNode p = node.putObject("pending");
      p.put("id", pending.id());
      p.put("kind", pending.kind().wireName());
      p.put("tool", pending.tool());
      p.put(pending.kind() == Kind.PERMISSION ? "description" : "question", pending.text());
    }
    if (lastRun == null) {
      node.putNull("last_run");
    } else {
      node.set("last_run", Messages.runResult(lastRun));
    }
    return node;
  }

  // ---- eviction and shutdown ----

  /**
   * Closes the runtime when it has been idle (no run, nothing pending, no request) for longer
   * than the idle timeout; its history stays on disk and the next use opens it again. Returns
   * true when nothing is left to keep: no runtime, no run and no WebSocket client.
   */
  boolean evictIfIdle(Instant now) {
    if (runtime != null && !isRunning() && pending == null
        && lastUsed.plus(settings.idleTimeout()).isBefore(now)) {
      LOG.log(System.Logger.Level.DEBUG, "closing idle session " + id);
      closeRuntime();
    }
    boolean disposable = runtime == null && !isRunning() && hub.clientCount() == 0;
    if (disposable) {
      removed = true;
    }
    return disposable;
  }

  /** Aborts the run in progress, if any, and returns its thread so the caller can wait for it. */
  Optional<Thread> stop() {
    removed = true;
    if (runThread == null) {
      return Optional.empty();
    }
    aborting = true;
    runtime.abort();
    cancelPending("abort");
    return Optional.of(runThread);
  }

  /** Closes the runtime and the clients, once the run has ended. */
  void close() {
    removed = true;
    closeRuntime();
    hub.closeAll(1001, "the server is shutting down");
  }

  // ---- the run, on its own thread ----

  private void run(AgentRuntime agent, String task) {
    RunResult result = null;
    try {
      result = agent.run(task);
    } catch (RuntimeException | Error e) {
      // A run that throws (a history that cannot be saved, say) still ends for the clients.
      LOG.log(System.Logger.Level.WARNING, "the run in session " + id + " failed", e);
      String error = "the run failed: " + e;
      result = new RunResult(RunResult.Outcome.FAILED, Optional.empty(), 0, Usage.NONE,
          Duration.ZERO, Optional.of(error));
      broadcast(Messages.event(new Event.RuntimeError(error)));
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
    } finally {
      lock.lock();
      try {
        runThread = null;
        touch();
        if (result != null) {
          lastRun = result;
          String end = Messages.runEnd(result);
          hub.endRun(end);
          share(end);
        }
        releaseIfShared();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Runs first among the handlers of PERMISSION_REQUEST and ASK_USER, before the event reaches
   * the clients, so that a client reacting to the event at once finds the input pending.
   */
  private void announce(Event event) {
    lock.lock();
    try {
      if (event instanceof Event.PermissionRequest request) {
        pending = new PendingInput(++pendingCount, Kind.PERMISSION, request.tool(),
            request.description());
      } else if (event instanceof Event.AskUser question) {
        pending = new PendingInput(++pendingCount, Kind.QUESTION, "ask_user", question.question());
      }
      if (aborting) {
        cancelPending("abort");
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean decidePermission(Event.PermissionRequest request) {
    Reply reply = waitForReply(Kind.PERMISSION, Boolean.FALSE);
    boolean approved = Boolean.TRUE.equals(reply.value());
    broadcast(Messages.permissionResolved(request.tool(), approved, reply.by()));
    return approved;
  }

  private String answerQuestion(String question) {
    Reply reply = waitForReply(Kind.QUESTION, "");
    String answer = (String) reply.value();
    broadcast(Messages.questionAnswered(answer, reply.by()));
    return answer;
  }

  /**
   * Blocks the agent until the announced input is answered by the browser, the answer timeout
   * passes, or the run is aborted; the last two give {@code refusal}.
   */
  private Reply waitForReply(Kind kind, Object refusal) {
    PendingInput input;
    lock.lock();
    try {
      input = pending;
    } finally {
      lock.unlock();
    }
    if (input == null || input.kind() != kind) {
      return new Reply(refusal, "abort");
    }
    try {
      Optional<Reply> answered = input.await(settings.answerTimeout());
      if (answered.isPresent()) {
        return answered.get();
      }
      input.complete(refusal, "timeout");
      return input.reply().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      input.complete(refusal, "abort");
      return input.reply().join();
    } finally {
      lock.lock();
      try {
        if (pending == input) {
          pending = null;
        }
        touch();
      } finally {
        lock.unlock();
      }
    }
  }

  // ---- helpers; the caller holds the lock ----

  private void resolve(Kind kind, Optional<Long> requestId, Object value) {
    String what = kind == Kind.PERMISSION ? "permission request" : "question";
    if (pending == null || pending.kind() != kind) {
      throw ApiException.conflict("session '" + id + "' has no pending " + what);
    }
    if (requestId.isPresent() && requestId.get() != pending.id()) {
      throw ApiException.conflict("the pending " + what + " of session '" + id + "' is number "
          + pending.id() + ", not " + requestId.get() + "; it may have timed out");
    }
    if (!pending.complete(value, "user")) {
      throw ApiException.conflict("the " + what + " was already answered");
    }
    touch();
  }

  private void cancelPending(String by) {
    if (pending != null) {
      pending.complete(pending.kind() == Kind.PERMISSION ? Boolean.FALSE : "", by);
    }
  }

  private void requireRunning(String action) {
    if (!isRunning()) {
      throw ApiException.conflict("no run is in progress in session '" + id + "'; cannot "
          + action);
    }
  }

  private void touch() {
    lastUsed = clock.instant();
  }

  private ApiException notFound() {
    return ApiException.notFound("no session '" + id + "'");
  }

  /** The saved session's metadata; refuses a session that another agent wrote. */
  private Optional<SessionInfo> savedInfo() {
    Optional<SessionInfo> info;
    try {
      info = settings.store().isPresent() ? settings.store().get().metadata(id)
          : FileSession.metadata(settings.sessionDir(), id);
    } catch (SessionException e) {
      throw ApiException.conflict(e.getMessage());
    }
    info.ifPresent(i -> {
      if (!i.agentName().equals(settings.agent().name())) {
        throw ApiException.conflict("session '" + id + "' belongs to agent '" + i.agentName()
            + "', not to '" + settings.agent().name() + "'");
      }
    });
    return info;
  }

  /** The runtime, opened (and the saved history loaded) on first use. */
  private AgentRuntime open() {
    touch();
    if (runtime != null) {
      return runtime;
    }
    savedInfo();
    ChatModel model = null;
    AgentRuntime opened;
    try {
      AgentRuntime.Builder builder = AgentRuntime.builder(settings.agent())
          .consoleOutput(false)
          .sessionId(id);
      if (settings.store().isPresent()) {
        builder.sessionStore(settings.store().get());
      } else {
        builder.session("file").sessionDir(settings.sessionDir());
      }
      if (settings.models().isPresent()) {
        model = settings.models().get().apply(id);
        builder.model(model);
      }
      opened = builder.build();
    } catch (SessionException e) {
      closeQuietly(model);
      throw ApiException.conflict("cannot open session '" + id + "': " + e.getMessage());
    } catch (ModelException e) {
      throw ApiException.unavailable("cannot create the model for session '" + id + "': "
          + e.getMessage());
    } catch (AgentFileException e) {
      throw new IllegalStateException("the agent was loaded before the server started", e);
    } catch (RuntimeException e) {
      closeQuietly(model);
      throw e;
    }
    try {
      opened.hooks().on(Event.PermissionRequest.class, this::announce);
      opened.hooks().on(Event.AskUser.class, this::announce);
      // A sub-agent's request reaches this runtime's gate named after it: announce it so.
      opened.hooks().on(Event.SubAgent.class, sub -> {
        if (sub.event() instanceof Event.PermissionRequest request) {
          announce(new Event.PermissionRequest(sub.agent() + "/" + request.tool(),
              sub.agent() + ": " + request.description()));
        } else if (sub.event() instanceof Event.AskUser question) {
          announce(new Event.AskUser(sub.agent() + " asks: " + question.question()));
        }
      });
      opened.hooks().on(Event.class, event -> broadcast(Messages.event(event)));
      opened.addStreamListener(text -> {
        hub.publishModelText(text);
        share(Messages.modelText(text));
      });
      opened.onPermissionRequest(this::decidePermission);
      opened.setAskUserHandler(this::answerQuestion);
      settings.customizer().accept(opened);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    runtime = opened;
    return runtime;
  }

  /** Sends a message to this session's clients here and on the servers sharing the store. */
  private void broadcast(String message) {
    hub.publish(message);
    share(message);
  }

  /** Sends a message to the clients of the servers sharing the store, if there is one. */
  private void share(String message) {
    if (settings.store().isPresent()
        && !settings.store().get().publishEvent(id, message)) {
      settings.store().get().publishEvent(id, Messages.eventsDropped(1));
    }
  }

  /**
   * With a shared store, closes the runtime once nothing runs, so that the session's lock is free
   * for the next run on any server; the next use here opens it again from the store.
   */
  private void releaseIfShared() {
    if (settings.store().isPresent() && runThread == null && pending == null) {
      closeRuntime();
    }
  }

  private void closeRuntime() {
    if (runtime != null) {
      try {
        runtime.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing session " + id + " failed", e);
      }
      runtime = null;
    }
  }

  private static void closeQuietly(ChatModel model) {
    if (model != null) {
      try {
        model.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a model failed", e);
      }
    }
  }
}
