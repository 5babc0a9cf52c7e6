package dev.codepilot.config;

import dev.codepilot.model.ModelConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the agent file's {@code model:} section: a known provider, the model's name, the key's
 * environment variable, sampling and HTTP settings, and the rules of the {@code replay} provider (a
 * cassette, no name needed, no HTTP).
 */
final class ModelSectionReader {

  static final List<String> MODEL_KEYS =
      List.of(
          "provider",
          "name",
          "api_key_env",
          "temperature",
          "max_tokens",
          "cassette",
          "base_url",
          "request_timeout",
          "max_retries");

  private final YamlValues values;
  private final AgentFilePaths paths;
  private final ProviderNames providers;

  ModelSectionReader(YamlValues values, AgentFilePaths paths, ProviderNames providers) {
    this.values = values;
    this.paths = paths;
    this.providers = providers;
  }

  ModelConfig read(YamlMap agent) throws AgentFileException {
    Node node = agent.require("model", "a mapping with provider: and name:");
    YamlMap model =
        values.map(
            node,
            agent.field("model"),
            agent.keyLine("model"),
            "a mapping of model settings (provider:, name:, ...)");
    model.allowOnly(MODEL_KEYS, "under " + model.field());

    String provider = provider(model);
    boolean replay = provider.equals("replay");

    String name =
        replay
            ? model.text("name").orElse("")
            : model.requiredText("name", "the model name the provider expects, like gpt-4o");

    Optional<String> apiKeyEnv = model.text("api_key_env").filter(s -> !s.isBlank());
    if (apiKeyEnv.isPresent() && !Names.isEnvironmentName(apiKeyEnv.get())) {
      // Never echo the value: it may well be the key itself.
      throw values.error(
          model.field("api_key_env"),
          model.get("api_key_env").orElseThrow(),
          "must be the name of the environment variable holding the key, like "
              + "ANTHROPIC_API_KEY, not the key itself");
    }

    double temperature = ModelConfig.DEFAULT_TEMPERATURE;
    Optional<Node> temperatureNode = model.get("temperature");
    if (temperatureNode.isPresent()) {
      temperature =
          values.number(
              temperatureNode.get(), model.field("temperature"), 0, 2, "a number from 0 to 2");
    }
    int maxTokens = model.integer("max_tokens", ModelConfig.DEFAULT_MAX_TOKENS, 1);
    Optional<Path> cassette = cassette(model, replay);
    Optional<URI> baseUrl = baseUrl(model, replay);
    Duration requestTimeout = model.seconds("request_timeout", ModelConfig.DEFAULT_REQUEST_TIMEOUT);
    int maxRetries = model.integer("max_retries", ModelConfig.DEFAULT_MAX_RETRIES, 0);
    ModelConfig.Builder config =
        ModelConfig.builder()
            .provider(provider)
            .name(name)
            .temperature(temperature)
            .maxTokens(maxTokens)
            .requestTimeout(requestTimeout)
            .maxRetries(maxRetries);
    apiKeyEnv.ifPresent(config::apiKeyEnv);
    cassette.ifPresent(config::cassette);
    baseUrl.ifPresent(config::baseUrl);
    return config.build();
  }

  private String provider(YamlMap model) throws AgentFileException {
    String known = String.join(", ", providers.known());
    String field = model.field("provider");
    Node node = model.require("provider", "one of " + known);
    String provider = values.text(node, field);
    if (!providers.contains(provider)) {
      String hint =
          Names.closest(provider, providers.known())
              .map(k -> "did you mean '" + k + "'? ")
              .orElse("");
      throw values.error(
          field,
          node,
          "unknown provider "
              + YamlValues.quote(provider)
              + "; "
              + hint
              + "known providers: "
              + known);
    }
    return provider;
  }

  /** The replay provider reads its replies from a cassette, which no other provider takes. */
  private Optional<Path> cassette(YamlMap model, boolean replay) throws AgentFileException {
    if (replay) {
      Node node =
          model.require("cassette", "the replay cassette's path (JSON, relative to this file)");
      return Optional.of(paths.existingFile(model, "cassette", node, "cassette"));
    }
    if (model.has("cassette")) {
      throw values.error(
          model.field("cassette"),
          model.keyLine("cassette"),
          "only the replay provider reads a cassette; remove it, or set provider: replay");
    }
    return Optional.empty();
  }

  /** An HTTP provider's endpoint; the replay provider makes no HTTP requests. */
  private Optional<URI> baseUrl(YamlMap model, boolean replay) throws AgentFileException {
    Optional<Node> node = model.get("base_url");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    if (replay) {
      throw values.error(
          model.field("base_url"),
          node.get(),
          "the replay provider makes no HTTP requests; remove base_url");
    }
    return Optional.of(httpUrl(node.get(), model.field("base_url")));
  }

  private URI httpUrl(Node node, String field) throws AgentFileException {
    String text = values.text(node, field);
    String rule =
        "must be an absolute http or https URL, like http://localhost:11434/v1; found "
            + YamlValues.describe(node);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw values.error(field, node, rule);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw values.error(field, node, rule);
    }
    return uri;
  }
}
