package dev.codepilot.testing;

import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A scripted stand-in for a provider: replies are queued by the test, and every request is kept so
 * tests can check what the model was shown.
 */
public final class QueueModel implements ChatModel {

  private final ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();
  private final List<ModelRequest> requests = new ArrayList<>();

  public QueueModel reply(String... texts) {
    replies.addAll(List.of(texts));
    return this;
  }

  public synchronized List<ModelRequest> requests() {
    return List.copyOf(requests);
  }

  public synchronized ModelRequest lastRequest() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public ModelReply complete(ModelRequest request) throws ModelException {
    synchronized (this) {
      requests.add(request);
    }
    String next = replies.poll();
    if (next == null) {
      throw new ModelException("no scripted reply left");
    }
    return ModelReply.of(next);
  }
}
