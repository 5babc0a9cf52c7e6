package dev.codepilot.bench;

import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;

/**
 * A model that answers every request with the same reply, at once or after a fixed "thinking" time,
 * so that only the runtime's own work is timed.
 */
final class InstantModel implements ChatModel {

  private final String reply;
  private final long thinkMillis;

  InstantModel(String reply, long thinkMillis) {
    this.reply = reply;
    this.thinkMillis = thinkMillis;
  }

  @Override
  public ModelReply complete(ModelRequest request) throws ModelException {
    if (thinkMillis > 0) {
      try {
        Thread.sleep(thinkMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ModelException.cancelled();
      }
    }
    request.listener().onText(reply);
    return ModelReply.of(reply);
  }
}
