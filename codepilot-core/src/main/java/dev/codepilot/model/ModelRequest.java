package dev.codepilot.model;

import java.util.List;
import java.util.Objects;

/**
 * One call to a model: the system prompt, the conversation so far, where streamed text goes, and a
 * signal that tells the provider to give up.
 *
 * @param systemPrompt the rendered system prompt; never null
 * @param messages the history, oldest first, starting with a user message; never null
 * @param listener receives reply text as it streams in; never null
 * @param cancellation fired when the run is aborted; providers stop the request promptly
 * @param stablePrefix how many of the leading {@code messages} later requests will repeat unchanged
 *     for a while (a view of the history changes its older part only now and then); 0 when unknown.
 *     Providers with explicit prompt caching put a cache breakpoint after them.
 */
public record ModelRequest(
    String systemPrompt,
    List<Message> messages,
    StreamListener listener,
    Cancellation cancellation,
    int stablePrefix) {

  /**
   * Checks that no component is null; {@code messages} is copied.
   *
   * @throws IllegalArgumentException when {@code stablePrefix} is negative or more than the
   *     messages
   */
  public ModelRequest {
    Objects.requireNonNull(systemPrompt, "systemPrompt");
    messages = List.copyOf(messages);
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(cancellation, "cancellation");
    if (stablePrefix < 0 || stablePrefix > messages.size()) {
      throw new IllegalArgumentException(
          "stablePrefix must be between 0 and the number of" + " messages");
    }
  }

  /** A request with no stable prefix known. */
  public ModelRequest(
      String systemPrompt,
      List<Message> messages,
      StreamListener listener,
      Cancellation cancellation) {
    this(systemPrompt, messages, listener, cancellation, 0);
  }

  /** A request with no listener and no way to cancel it, for tests and simple callers. */
  public static ModelRequest of(String systemPrompt, List<Message> messages) {
    return new ModelRequest(systemPrompt, messages, StreamListener.NONE, new Cancellation());
  }
}
