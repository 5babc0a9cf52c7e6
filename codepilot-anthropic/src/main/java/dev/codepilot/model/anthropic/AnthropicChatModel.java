package dev.codepilot.model.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.internal.Json;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.model.StopReason;
import dev.codepilot.model.StreamListener;
import dev.codepilot.model.Usage;
import dev.codepilot.model.http.HttpTransport;
import dev.codepilot.model.http.ProviderFailure;
import dev.codepilot.model.http.RequestBodyWriter;
import dev.codepilot.model.http.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Claude model behind Anthropic's Messages API ({@code POST /v1/messages}), always streamed, with
 * prompt caching: the system prompt and the end of the history are cache breakpoints, so each step
 * reads the previous step's prompt from the cache. Thread-safe.
 */
final class AnthropicChatModel implements ChatModel {

  static final String API_VERSION = "2023-06-01";

  /** Error event types that may pass on another attempt. */
  private static final Set<String> RETRYABLE_STREAM_ERRORS =
      Set.of("overloaded_error", "api_error", "rate_limit_error", "timeout_error");

  /**
   * Everything a call needs besides the request.
   *
   * @param provider the service as error messages name it
   * @param baseUrl the API root, {@code https://api.anthropic.com} unless configured
   * @param model the model name sent with every call
   * @param apiKey the key, sent as {@code x-api-key}
   * @param apiKeyEnv the variable the key came from, named in error messages
   * @param temperature sampling temperature
   * @param maxTokens reply length limit
   */
  record Settings(
      String provider,
      URI baseUrl,
      String model,
      String apiKey,
      String apiKeyEnv,
      double temperature,
      int maxTokens) {

    /** {@code {base}/v1/messages}; a base URL that already ends in {@code /v1} is accepted too. */
    URI messagesUrl() {
      String base = baseUrl.toString();
      while (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      return URI.create(base + (base.endsWith("/v1") ? "/messages" : "/v1/messages"));
    }
  }

  private final Settings settings;
  private final HttpTransport transport;
  private final HttpTransport.Target target;
  private final RequestBodyWriter bodies = new RequestBodyWriter();

  AnthropicChatModel(Settings settings, HttpTransport transport) {
    this.settings = settings;
    this.transport = transport;
    this.target =
        new HttpTransport.Target(
            settings.provider(),
            settings.messagesUrl(),
            settings.model(),
            Optional.of(settings.apiKeyEnv()));
  }

  Settings settings() {
    return settings;
  }

  @Override
  public ModelReply complete(ModelRequest request) throws ModelException {
    if (conversation(request.messages()).isEmpty()) {
      throw new ModelException(
          "cannot ask "
              + settings.provider()
              + " with an empty history:"
              + " a conversation must start with a non-empty user message");
    }
    HttpRequest.Builder http =
        HttpTransport.streamingPost(
                target.uri(), requestBody(request, settings, bodies), "anthropic")
            .header("anthropic-version", API_VERSION)
            .header("x-api-key", settings.apiKey());
    return transport.execute(
        http.build(), target, request.listener(), request.cancellation(), this::readStream);
  }

  /**
   * The JSON body of a streamed Messages call. Cache breakpoints: the system prompt; the end of the
   * request's stable prefix (the part of the history the next requests repeat until the context
   * view cuts its next batch), which is read back for many steps; and the last message, whose
   * prefix the next step (the same history plus two messages) reads back. That is three of the
   * API's four.
   */
  static byte[] requestBody(ModelRequest request, Settings settings, RequestBodyWriter writer) {
    return writer.write(
        (json, texts) -> {
          json.writeStartObject();
          json.writeStringField("model", settings.model());
          json.writeNumberField("max_tokens", settings.maxTokens());
          json.writeNumberField("temperature", settings.temperature());
          json.writeBooleanField("stream", true);
          if (!request.systemPrompt().isBlank()) {
            json.writeArrayFieldStart("system");
            cachedText(json, texts, request.systemPrompt());
            json.writeEndArray();
          }
          json.writeArrayFieldStart("messages");
          List<Message> conversation = conversation(request.messages());
          int stableEnd =
              request.stablePrefix() == 0
                  ? -1
                  : conversation(request.messages().subList(0, request.stablePrefix())).size() - 1;
          for (int i = 0; i < conversation.size(); i++) {
            Message message = conversation.get(i);
            if (i < conversation.size() - 1 && i != stableEnd) {
              texts.message(json, message.role().wireName(), message.content());
              continue;
            }
            json.writeStartObject();
            json.writeStringField("role", message.role().wireName());
            json.writeArrayFieldStart("content");
            cachedText(json, texts, message.content());
            json.writeEndArray();
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  /** A text block marked as the end of a cached prefix. */
  private static void cachedText(JsonGenerator json, RequestBodyWriter.Texts texts, String text)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("type", "text");
    json.writeFieldName("text");
    texts.string(json, text);
    json.writeObjectFieldStart("cache_control");
    json.writeStringField("type", "ephemeral");
    json.writeEndObject();
    json.writeEndObject();
  }

  /**
   * The history as the API accepts it: roles must alternate and text must not be blank, so blank
   * messages (an empty reply) are left out and runs of one role are joined with a blank line.
   */
  static List<Message> conversation(List<Message> messages) {
    List<Message> merged = new ArrayList<>(messages.size());
    for (Message message : messages) {
      if (message.content().isBlank()) {
        continue;
      }
      int last = merged.size() - 1;
      if (last >= 0 && merged.get(last).role() == message.role()) {
        merged.set(
            last,
            new Message(message.role(), merged.get(last).content() + "\n\n" + message.content()));
      } else {
        merged.add(message);
      }
    }
    return merged;
  }

  private ModelReply readStream(InputStream body, HttpHeaders headers, StreamListener listener)
      throws IOException, ProviderFailure {
    SseReader events = new SseReader(body);
    StringBuilder text = new StringBuilder();
    String stopReason = null;
    long input = 0;
    long output = 0;
    long cacheRead = 0;
    long cacheWrite = 0;
    boolean stopped = false;
    while (!stopped) {
      Optional<SseReader.Event> next = events.next();
      if (next.isEmpty()) {
        break;
      }
      String data = next.get().data().strip();
      if (data.isEmpty()) {
        continue;
      }
      JsonNode event = parse(data);
      String type = next.get().name().isEmpty() ? event.path("type").asText("") : next.get().name();
      switch (type) {
        case "message_start" -> {
          JsonNode usage = event.path("message").path("usage");
          input = usage.path("input_tokens").asLong(0);
          output = usage.path("output_tokens").asLong(0);
          cacheRead = usage.path("cache_read_input_tokens").asLong(0);
          cacheWrite = usage.path("cache_creation_input_tokens").asLong(0);
        }
        case "content_block_delta" -> {
          JsonNode delta = event.path("delta");
          // Thinking, signature and tool-input deltas are not reply text.
          if (delta.path("type").asText().equals("text_delta")) {
            String piece = delta.path("text").asText("");
            if (!piece.isEmpty()) {
              text.append(piece);
              listener.onText(piece);
            }
          }
        }
        case "message_delta" -> {
          if (event.path("delta").hasNonNull("stop_reason")) {
            stopReason = event.path("delta").get("stop_reason").asText();
          }
          // Counts here are running totals for the whole message.
          JsonNode usage = event.path("usage");
          input = usage.path("input_tokens").asLong(input);
          output = usage.path("output_tokens").asLong(output);
          cacheRead = usage.path("cache_read_input_tokens").asLong(cacheRead);
          cacheWrite = usage.path("cache_creation_input_tokens").asLong(cacheWrite);
        }
        case "message_stop" -> stopped = true;
        case "error" -> throw streamError(event);
        default -> {
          // ping, content_block_start, content_block_stop, and event types added later.
        }
      }
    }
    if (!stopped) {
      String contentType = headers.firstValue("content-type").orElse("none");
      throw ProviderFailure.retryable(
          settings.provider()
              + "'s stream ended before its"
              + " message_stop event (response content type: "
              + contentType
              + ")");
    }
    return new ModelReply(
        text.toString(),
        stopReason(stopReason),
        new Usage(
            Math.max(input, 0),
            Math.max(output, 0),
            Math.max(cacheRead, 0),
            Math.max(cacheWrite, 0)));
  }

  private JsonNode parse(String data) throws ProviderFailure {
    try {
      return Json.mapper().readTree(data);
    } catch (JsonProcessingException e) {
      String excerpt = data.length() <= 200 ? data : data.substring(0, 200) + "...";
      throw ProviderFailure.fatal(
          settings.provider()
              + " sent malformed JSON in its stream: "
              + e.getOriginalMessage()
              + " in: "
              + excerpt);
    }
  }

  private ProviderFailure streamError(JsonNode event) {
    JsonNode error = event.path("error");
    String kind = error.path("type").asText("");
    String message = error.path("message").asText("");
    String text =
        settings.provider()
            + " reported an error in its stream"
            + (kind.isEmpty() ? "" : " (" + kind + ")")
            + (message.isEmpty() ? "" : ": " + message);
    return RETRYABLE_STREAM_ERRORS.contains(kind)
        ? ProviderFailure.retryable(text)
        : ProviderFailure.fatal(text);
  }

  static StopReason stopReason(String stopReason) {
    if (stopReason == null) {
      return StopReason.END_TURN;
    }
    return switch (stopReason) {
      case "end_turn" -> StopReason.END_TURN;
      // Both mean the reply was cut off, so it must not be executed as is.
      case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
      default -> StopReason.OTHER;
    };
  }

  @Override
  public void close() {
    transport.close();
  }
}
