package dev.codepilot.server;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.Event;
import dev.codepilot.server.PendingInput.Kind;
import dev.codepilot.server.PendingInput.Reply;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The handshake with the browser for what a run asks: a permission request or an {@code ask_user}
 * question is announced as pending, the agent's thread waits for the answer an HTTP request gives,
 * and the answer timeout or an abort answers "no" instead.
 *
 * <p>Shares its session's lock: methods called from the agent's thread take it themselves; the
 * others must be called with it held.
 */
final class BrowserInputs {

  private final String id;
  private final ReentrantLock lock;
  private final Duration answerTimeout;
  private final SessionOutbox outbox;

  /** Marks the session used; called with the lock held. */
  private final Runnable touch;

  private PendingInput pending;
  private long pendingCount;

  /** The run in progress was aborted: what it asks from now on is refused at once. */
  private boolean aborting;

  BrowserInputs(
      String id, ReentrantLock lock, Duration answerTimeout, SessionOutbox outbox, Runnable touch) {
    this.id = id;
    this.lock = lock;
    this.answerTimeout = answerTimeout;
    this.outbox = outbox;
    this.touch = touch;
  }

  /**
   * Registers the announcing handlers on a new runtime. They must run first among the handlers of
   * PERMISSION_REQUEST and ASK_USER, before the event reaches the clients, so that a client
   * reacting to the event at once finds the input pending.
   */
  void announceFrom(AgentRuntime opened) {
    opened.hooks().on(Event.PermissionRequest.class, this::announce);
    opened.hooks().on(Event.AskUser.class, this::announce);
    // A sub-agent's request reaches this runtime's gate named after it: announce it so.
    opened
        .hooks()
        .on(
            Event.SubAgent.class,
            sub -> {
              if (sub.event() instanceof Event.PermissionRequest request) {
                announce(
                    new Event.PermissionRequest(
                        sub.agent() + "/" + request.tool(),
                        sub.agent() + ": " + request.description()));
              } else if (sub.event() instanceof Event.AskUser question) {
                announce(new Event.AskUser(sub.agent() + " asks: " + question.question()));
              }
            });
  }

  /** Makes the browser the runtime's permission gate and {@code ask_user} handler. */
  void answerFor(AgentRuntime opened) {
    opened.onPermissionRequest(this::decidePermission);
    opened.setAskUserHandler(this::answerQuestion);
  }

  // ---- the caller holds the lock ----

  /** The input waiting for an answer, if any. */
  Optional<PendingInput> pending() {
    return Optional.ofNullable(pending);
  }

  /** A new run starts: it may ask again. */
  void runStarted() {
    aborting = false;
  }

  /** The run is being aborted: what it asks from now on is answered "no" at once. */
  void refuseFromNow() {
    aborting = true;
  }

  /** Gives the browser's answer to the pending input of {@code kind}. */
  void resolve(Kind kind, Optional<Long> requestId, Object value) {
    String what = kind == Kind.PERMISSION ? "permission request" : "question";
    if (pending == null || pending.kind() != kind) {
      throw ApiException.conflict("session '" + id + "' has no pending " + what);
    }
    if (requestId.isPresent() && requestId.get() != pending.id()) {
      throw ApiException.conflict(
          "the pending "
              + what
              + " of session '"
              + id
              + "' is number "
              + pending.id()
              + ", not "
              + requestId.get()
              + "; it may have timed out");
    }
    if (!pending.complete(value, "user")) {
      throw ApiException.conflict("the " + what + " was already answered");
    }
    touch.run();
  }

  /** Answers the pending input "no" (or "" for a question), as {@code by} decided. */
  void cancel(String by) {
    if (pending != null) {
      pending.complete(pending.kind() == Kind.PERMISSION ? Boolean.FALSE : "", by);
    }
  }

  // ---- on the agent's thread ----

  private void announce(Event event) {
    lock.lock();
    try {
      if (event instanceof Event.PermissionRequest request) {
        pending =
            new PendingInput(
                ++pendingCount, Kind.PERMISSION, request.tool(), request.description());
      } else if (event instanceof Event.AskUser question) {
        pending = new PendingInput(++pendingCount, Kind.QUESTION, "ask_user", question.question());
      }
      if (aborting) {
        cancel("abort");
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean decidePermission(Event.PermissionRequest request) {
    Reply reply = waitForReply(Kind.PERMISSION, Boolean.FALSE);
    boolean approved = Boolean.TRUE.equals(reply.value());
    outbox.broadcast(Messages.permissionResolved(request.tool(), approved, reply.by()));
    return approved;
  }

  private String answerQuestion(String question) {
    Reply reply = waitForReply(Kind.QUESTION, "");
    String answer = (String) reply.value();
    outbox.broadcast(Messages.questionAnswered(answer, reply.by()));
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
      Optional<Reply> answered = input.await(answerTimeout);
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
        touch.run();
      } finally {
        lock.unlock();
      }
    }
  }
}
