package dev.codepilot.bench;

import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;

/** A model that answers every request at once with the same reply, so only the runtime's own work is timed. */
final class InstantModel implements ChatModel {

  private final String reply;

  InstantModel(String reply) {
    this.reply = reply;
  }

  @Override
  public ModelReply complete(ModelRequest request) {
    request.listener().onText(reply);
    return ModelReply.of(reply);
  }
}
