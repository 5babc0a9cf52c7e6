package dev.codepilot.model.openai;

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
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A model behind the Chat Completions API ({@code POST {base_url}/chat/completions}), always
 * streamed: OpenAI itself, Together, or any OpenAI-compatible server. Thread-safe.
 */
final class OpenAiChatModel implements ChatModel {

  private static final Pattern RETRYABLE_STREAM_ERROR =
      Pattern.compile("server_error|overloaded|rate_limit|timeout|unavailable");

  /**
   * Everything a call needs besides the request.
   *
   * @param provider the service as error messages name it
   * @param baseUrl the API root, such as {@code https://api.openai.com/v1}
   * @param model the model name sent with every call
   * @param apiKey the key sent as a bearer token; empty for a local server without one
   * @param apiKeyEnv the variable the key came from, named in error messages
   * @param temperature sampling temperature
   * @param maxTokens reply length limit
   */
  record Settings(
      String provider,
      URI baseUrl,
      String model,
      Optional<String> apiKey,
      String apiKeyEnv,
      double temperature,
      int maxTokens) {

    URI chatUrl() {
      String base = baseUrl.toString();
      return URI.create(
          (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
    }

    /** OpenAI's own API wants max_completion_tokens; reasoning models reject max_tokens there. */
    boolean officialApi() {
      return "api.openai.com".equalsIgnoreCase(baseUrl.getHost());
    }
  }

  private final Settings settings;
  private final HttpTransport transport;
  private final HttpTransport.Target target;
  private final RequestBodyWriter bodies = new RequestBodyWriter();

  OpenAiChatModel(Settings settings, HttpTransport transport) {
    this.settings = settings;
    this.transport = transport;
    this.target =
        new HttpTransport.Target(
            settings.provider(),
            settings.chatUrl(),
            settings.model(),
            settings.apiKey().map(key -> settings.apiKeyEnv()));
  }

  Settings settings() {
    return settings;
  }

  @Override
  public ModelReply complete(ModelRequest request) throws ModelException {
    if (request.messages().isEmpty()) {
      throw new ModelException(
          "cannot ask "
              + settings.provider()
              + " with an empty history:"
              + " a conversation must start with a user message");
    }
    HttpRequest.Builder http =
        HttpTransport.streamingPost(
            target.uri(), requestBody(request, settings, bodies), "openai-compatible");
    settings.apiKey().ifPresent(key -> http.header("Authorization", "Bearer " + key));
    return transport.execute(
        http.build(), target, request.listener(), request.cancellation(), this::readStream);
  }

  /** The JSON body of a streamed Chat Completions call. */
  static byte[] requestBody(ModelRequest request, Settings settings, RequestBodyWriter writer) {
    return writer.write(
        (json, texts) -> {
          json.writeStartObject();
          json.writeStringField("model", settings.model());
          json.writeArrayFieldStart("messages");
          if (!request.systemPrompt().isEmpty()) {
            texts.message(json, "system", request.systemPrompt());
          }
          for (Message message : mergeConsecutive(request.messages())) {
            texts.message(json, message.role().wireName(), message.content());
          }
          json.writeEndArray();
          json.writeNumberField("temperature", settings.temperature());
          json.writeNumberField(
              settings.officialApi() ? "max_completion_tokens" : "max_tokens",
              settings.maxTokens());
          json.writeBooleanField("stream", true);
          json.writeObjectFieldStart("stream_options");
          json.writeBooleanField("include_usage", true);
          json.writeEndObject();
          json.writeEndObject();
        });
  }

  /**
   * Joins runs of messages from the same role with a blank line. OpenAI accepts such runs, but the
   * chat templates of many open models served behind compatible APIs insist on alternation.
   */
  static List<Message> mergeConsecutive(List<Message> messages) {
    List<Message> merged = new ArrayList<>(messages.size());
    for (Message message : messages) {
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
    String finishReason = null;
    Usage usage = Usage.NONE;
    boolean done = false;
    for (Optional<SseReader.Event> next = events.next(); next.isPresent(); next = events.next()) {
      String data = next.get().data().strip();
      if (data.equals("[DONE]")) {
        done = true;
        break;
      }
      if (data.isEmpty()) {
        continue;
      }
      JsonNode chunk = parse(data);
      if (next.get().name().equals("error") || chunk.hasNonNull("error")) {
        throw streamError(chunk);
      }
      JsonNode choice = firstChoice(chunk.path("choices"));
      String delta = choice.path("delta").path("content").asText("");
      if (!delta.isEmpty()) {
        text.append(delta);
        listener.onText(delta);
      }
      if (choice.hasNonNull("finish_reason")) {
        finishReason = choice.get("finish_reason").asText();
      }
      if (chunk.path("usage").isObject()) {
        usage = usage(chunk.get("usage"));
      }
    }
    if (!done && finishReason == null) {
      String type = headers.firstValue("content-type").orElse("none");
      throw ProviderFailure.retryable(
          settings.provider()
              + "'s stream ended before its final"
              + " [DONE] event (response content type: "
              + type
              + ")");
    }
    return new ModelReply(text.toString(), stopReason(finishReason), usage);
  }

  private static JsonNode firstChoice(JsonNode choices) {
    for (JsonNode choice : choices) {
      if (choice.path("index").asInt(0) == 0) {
        return choice;
      }
    }
    return Json.mapper().missingNode();
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

  private ProviderFailure streamError(JsonNode chunk) {
    JsonNode error = chunk.path("error");
    String message = error.isTextual() ? error.asText() : error.path("message").asText("");
    String kind = (error.path("type").asText("") + " " + error.path("code").asText("")).strip();
    String text =
        settings.provider()
            + " reported an error in its stream"
            + (kind.isEmpty() ? "" : " (" + kind + ")")
            + (message.isEmpty() ? "" : ": " + message);
    return RETRYABLE_STREAM_ERROR.matcher(kind.toLowerCase(Locale.ROOT)).find()
        ? ProviderFailure.retryable(text)
        : ProviderFailure.fatal(text);
  }

  /** OpenAI counts cached prompt tokens inside prompt_tokens; {@link Usage} keeps them apart. */
  static Usage usage(JsonNode usage) {
    long prompt = usage.path("prompt_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    long completion = usage.path("completion_tokens").asLong(0);
    cached = Math.clamp(cached, 0, Math.max(prompt, 0));
    return new Usage(Math.max(prompt - cached, 0), Math.max(completion, 0), cached, 0);
  }

  static StopReason stopReason(String finishReason) {
    if (finishReason == null) {
      return StopReason.END_TURN;
    }
    return switch (finishReason) {
      case "stop" -> StopReason.END_TURN;
      case "length" -> StopReason.MAX_TOKENS;
      default -> StopReason.OTHER;
    };
  }

  @Override
  public void close() {
    transport.close();
  }
}
