package dev.codepilot.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent file's {@code model:} section.
 *
 * @param provider       provider name: {@code anthropic}, {@code openai}, {@code together} or
 *                       {@code replay}; never blank
 * @param name           the model name sent to the provider; may be empty for {@code replay}
 * @param apiKeyEnv      environment variable holding the API key; empty means the provider's
 *                       default ({@code ANTHROPIC_API_KEY}, {@code OPENAI_API_KEY}, ...)
 * @param temperature    sampling temperature, default 0.0
 * @param maxTokens      reply length limit in tokens, default 4096
 * @param cassette       replay cassette, resolved against the agent file; only for {@code replay}
 * @param baseUrl        API base URL for OpenAI-compatible servers (Ollama, vLLM, LM Studio)
 * @param requestTimeout how long one HTTP request may take before it is retried, default 120 s
 * @param maxRetries     retries after a retryable failure (connection error, 408, 429, 5xx),
 *                       default 4
 */
public record ModelConfig(
    String provider,
    String name,
    Optional<String> apiKeyEnv,
    double temperature,
    int maxTokens,
    Optional<Path> cassette,
    Optional<URI> baseUrl,
    Duration requestTimeout,
    int maxRetries) {

  public static final double DEFAULT_TEMPERATURE = 0.0;
  public static final int DEFAULT_MAX_TOKENS = 4096;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);
  public static final int DEFAULT_MAX_RETRIES = 4;

  /** Checks that no reference component is null. */
  public ModelConfig {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
    Objects.requireNonNull(cassette, "cassette");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /** A replay model reading the given cassette, with every other setting at its default. */
  public static ModelConfig replay(Path cassette) {
    return new ModelConfig("replay", "", Optional.empty(), DEFAULT_TEMPERATURE, DEFAULT_MAX_TOKENS,
        Optional.of(cassette), Optional.empty(), DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_RETRIES);
  }
}
