package dev.codepilot.model.anthropic;

import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ChatModelProvider;
import dev.codepilot.model.ModelConfig;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.http.Backoff;
import dev.codepilot.model.http.HttpTransport;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code anthropic} model provider: Claude through the Messages API, streamed, with prompt
 * caching. The API key comes from {@code ANTHROPIC_API_KEY}, or the variable that {@code
 * model.api_key_env} names; {@code model.base_url} points it at a gateway that speaks the same API.
 *
 * <pre>{@code
 * model:
 *   provider: anthropic
 *   name: claude-sonnet-4-5
 * }</pre>
 *
 * <p>Found by {@link java.util.ServiceLoader}; use {@link dev.codepilot.model.ChatModels#create}.
 */
public final class AnthropicProvider implements ChatModelProvider {

  static final URI ANTHROPIC_URL = URI.create("https://api.anthropic.com");

  private final Function<String, String> environment;
  private final Backoff backoff;

  /** The provider as {@link java.util.ServiceLoader} creates it, reading the real environment. */
  public AnthropicProvider() {
    this(System::getenv, Backoff.DEFAULT);
  }

  /** For tests: a stand-in environment and a shorter backoff. */
  AnthropicProvider(Function<String, String> environment, Backoff backoff) {
    this.environment = environment;
    this.backoff = backoff;
  }

  @Override
  public Set<String> names() {
    return Set.of("anthropic");
  }

  @Override
  public ChatModel create(ModelConfig config) throws ModelException {
    return createModel(config);
  }

  AnthropicChatModel createModel(ModelConfig config) throws ModelException {
    if (!names().contains(config.provider())) {
      throw new ModelException(
          "the Anthropic provider cannot create a '" + config.provider() + "' model");
    }
    if (config.name().isBlank()) {
      throw new ModelException(
          "model.name is required for the anthropic provider" + " (for example claude-sonnet-4-5)");
    }
    URI baseUrl = config.baseUrl().orElse(ANTHROPIC_URL);
    String scheme = Optional.ofNullable(baseUrl.getScheme()).orElse("").toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
      throw new ModelException(
          "model.base_url must be an http:// or https:// URL with a host,"
              + " such as https://api.anthropic.com; got '"
              + baseUrl
              + "'");
    }
    String keyEnv = config.apiKeyEnv().filter(env -> !env.isBlank()).orElse("ANTHROPIC_API_KEY");
    String key =
        Optional.ofNullable(environment.apply(keyEnv))
            .map(String::strip)
            .filter(value -> !value.isEmpty())
            .orElseThrow(
                () ->
                    new ModelException(
                        "the anthropic provider needs an API key, but the"
                            + " environment variable "
                            + keyEnv
                            + " is not set; set it, or name the variable that"
                            + " holds the key with model.api_key_env"));
    String provider =
        config.baseUrl().isPresent() ? "the Anthropic API at " + baseUrl : "Anthropic";

    AnthropicChatModel.Settings settings =
        new AnthropicChatModel.Settings(
            provider,
            baseUrl,
            config.name(),
            key,
            keyEnv,
            config.temperature(),
            config.maxTokens());
    return new AnthropicChatModel(
        settings, new HttpTransport(config.requestTimeout(), config.maxRetries(), backoff));
  }
}
