package dev.codepilot.server;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A permission request or an {@code ask_user} question waiting for the browser's answer. The
 * agent's thread {@linkplain #await waits}; an HTTP request, the answer timeout or an abort
 * {@linkplain #complete completes} it, whichever comes first.
 *
 * @param id numbers the session's requests, so that an answer meant for an earlier one is refused
 *     rather than applied to the next
 * @param kind what is asked
 * @param tool for a permission request, the tool; for a question, {@code ask_user}
 * @param text the permission request's description, or the question
 */
record PendingInput(long id, Kind kind, String tool, String text, CompletableFuture<Reply> reply) {

  enum Kind {
    PERMISSION,
    QUESTION;

    String wireName() {
      return this == PERMISSION ? "permission" : "question";
    }
  }

  /**
   * The answer and who gave it.
   *
   * @param value a {@code Boolean} (approve) for a permission request, a {@code String} for a
   *     question
   * @param by {@code user}, {@code timeout} or {@code abort}
   */
  record Reply(Object value, String by) {}

  PendingInput(long id, Kind kind, String tool, String text) {
    this(id, kind, tool, text, new CompletableFuture<>());
  }

  /** Answers, unless it was answered already; returns whether this answer counted. */
  boolean complete(Object value, String by) {
    return reply.complete(new Reply(value, by));
  }

  /** The answer, or empty when none came within the timeout. */
  Optional<Reply> await(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a pending input never fails", e);
    }
  }
}
