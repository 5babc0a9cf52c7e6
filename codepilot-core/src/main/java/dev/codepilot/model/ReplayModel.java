package dev.codepilot.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model that replays scripted replies from a cassette, one per call, offline. When the replies
 * run out the call fails with {@code cassette exhausted}.
 *
 * <p>The cassette is JSON: {@code {"responses": ["reply 1", "reply 2"]}}. Replies are streamed to
 * the request's listener line by line, like a real provider would.
 */
public final class ReplayModel implements ChatModel {

  private final List<String> responses;
  private final AtomicInteger next = new AtomicInteger();

  /** A model replaying the given replies in order. */
  public ReplayModel(List<String> responses) {
    this.responses = List.copyOf(responses);
  }

  /**
   * Reads a cassette file.
   *
   * @throws ModelException when the file is missing or is not a cassette; the message names the
   *     file and what is wrong
   */
  public static ReplayModel fromCassette(Path cassette) throws ModelException {
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readString(cassette));
    } catch (NoSuchFileException e) {
      throw new ModelException("replay cassette not found: " + cassette);
    } catch (IOException e) {
      throw new ModelException(
          "replay cassette "
              + cassette
              + " is not valid JSON: "
              + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    JsonNode list = root == null ? null : root.get("responses");
    if (list == null || !list.isArray()) {
      throw new ModelException(
          "replay cassette "
              + cassette
              + " must be an object with a \"responses\" array of strings");
    }
    List<String> responses = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isTextual()) {
        throw new ModelException(
            "replay cassette " + cassette + ": responses[" + i + "] must be a string");
      }
      responses.add(list.get(i).asText());
    }
    return new ReplayModel(responses);
  }

  /** How many replies have been handed out. */
  public int served() {
    return Math.min(next.get(), responses.size());
  }

  @Override
  public ModelReply complete(ModelRequest request) throws ModelException {
    if (request.cancellation().isCancelled()) {
      throw ModelException.cancelled();
    }
    int index = next.getAndIncrement();
    if (index >= responses.size()) {
      throw new ModelException("cassette exhausted");
    }
    String reply = responses.get(index);
    streamByLine(reply, request.listener());
    return ModelReply.of(reply);
  }

  private static void streamByLine(String text, StreamListener listener) {
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      end = end < 0 ? text.length() : end + 1;
      listener.onText(text.substring(start, end));
      start = end;
    }
  }

  /** The built-in {@code replay} provider. */
  static final class Provider implements ChatModelProvider {

    @Override
    public Set<String> names() {
      return Set.of("replay");
    }

    @Override
    public ChatModel create(ModelConfig config) throws ModelException {
      Path cassette =
          config
              .cassette()
              .orElseThrow(
                  () ->
                      new ModelException(
                          "the replay provider needs model.cassette: the path of a cassette file"));
      return fromCassette(cassette);
    }
  }
}
