package dev.codepilot.server;

import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A model the test feeds reply by reply: {@link #complete} waits for the next {@link #reply}, so a
 * run stays in progress for as long as the test wants. Replies stream to the listener line by line,
 * as a provider's would. Every request is kept.
 */
final class ScriptedModel implements ChatModel {

  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final List<ModelRequest> requests = new ArrayList<>();
  private final BlockingQueue<ModelRequest> asked = new LinkedBlockingQueue<>();

  ScriptedModel reply(String... texts) {
    replies.addAll(List.of(texts));
    return this;
  }

  synchronized List<ModelRequest> requests() {
    return List.copyOf(requests);
  }

  /** Waits until the model has been asked once more than before, and returns that request. */
  ModelRequest awaitRequest() throws InterruptedException {
    ModelRequest request = asked.poll(30, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("the model was not asked within 30 s");
    }
    return request;
  }

  @Override
  public ModelReply complete(ModelRequest request) throws ModelException {
    synchronized (this) {
      requests.add(request);
    }
    asked.add(request);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try {
      while (true) {
        if (request.cancellation().isCancelled()) {
          throw ModelException.cancelled();
        }
        String next = replies.poll(20, TimeUnit.MILLISECONDS);
        if (next != null) {
          for (String piece : next.split("(?<=\n)")) {
            if (!piece.isEmpty()) {
              request.listener().onText(piece);
            }
          }
          return ModelReply.of(next);
        }
        if (System.nanoTime() > deadline) {
          throw new ModelException("no scripted reply came within 60 s");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ModelException.cancelled();
    }
  }
}
