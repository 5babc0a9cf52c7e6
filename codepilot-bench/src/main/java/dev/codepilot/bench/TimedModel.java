package dev.codepilot.bench;

import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Wraps a model and records how long each call took and how large its prompt was. */
final class TimedModel implements ChatModel {

  /** One call: its duration, the system prompt's length and the history's total length. */
  record Call(long nanos, int systemChars, int historyChars, int messages) {}

  private final ChatModel delegate;
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

  TimedModel(ChatModel delegate) {
    this.delegate = delegate;
  }

  List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  @Override
  public ModelReply complete(ModelRequest request) throws ModelException {
    long start = System.nanoTime();
    try {
      return delegate.complete(request);
    } finally {
      int history = 0;
      for (var message : request.messages()) {
        history += message.content().length();
      }
      calls.add(
          new Call(
              System.nanoTime() - start,
              request.systemPrompt().length(),
              history,
              request.messages().size()));
    }
  }

  @Override
  public void close() {
    delegate.close();
  }
}
