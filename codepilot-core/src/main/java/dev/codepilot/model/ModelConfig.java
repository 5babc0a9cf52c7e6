package dev.codepilot.model;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ChatModelProvider} creates a model from: the agent file's {@code model:} section.
 *
 * <p>Build one with {@link #builder()}; only the provider is required, everything else has the
 * default the agent file has:
 *
 * <pre>{@code
 * ModelConfig model = ModelConfig.builder()
 *     .provider("openai")
 *     .name("gpt-4o")
 *     .baseUrl(URI.create("http://localhost:11434/v1"))
 *     .build();
 * }</pre>
 *
 * {@link #replay(Path)} is the short form for the offline replay model.
 *
 * @param provider provider name: {@code anthropic}, {@code openai}, {@code together} or {@code
 *     replay}; never blank
 * @param name the model name sent to the provider; may be empty for {@code replay}
 * @param apiKeyEnv environment variable holding the API key; empty means the provider's default
 *     ({@code ANTHROPIC_API_KEY}, {@code OPENAI_API_KEY}, ...)
 * @param temperature sampling temperature, default 0.0
 * @param maxTokens reply length limit in tokens, default 4096
 * @param cassette replay cassette, resolved against the agent file; only for {@code replay}
 * @param baseUrl API base URL for OpenAI-compatible servers (Ollama, vLLM, LM Studio)
 * @param requestTimeout how long one HTTP request may take before it is retried, default 120 s
 * @param maxRetries retries after a retryable failure (connection error, 408, 429, 5xx), default 4
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

  /** The sampling temperature when none is set: {@value}. */
  public static final double DEFAULT_TEMPERATURE = 0.0;

  /** The reply length limit when none is set: {@value} tokens. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /** How long one HTTP request may take when nothing else is set: 120 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);

  /** Retries after a retryable failure when none is set: {@value}. */
  public static final int DEFAULT_MAX_RETRIES = 4;

  /**
   * Checks every component.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException naming the component when one is out of range: a blank
   *     provider, a negative or non-finite temperature, fewer than one max token, a request timeout
   *     that is not positive, or negative retries
   */
  public ModelConfig {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
    Objects.requireNonNull(cassette, "cassette");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (provider.isBlank()) {
      throw new IllegalArgumentException(
          "ModelConfig provider must not be blank; name one, like"
              + " \"openai\", \"anthropic\" or \"replay\"");
    }
    if (!Double.isFinite(temperature) || temperature < 0) {
      throw new IllegalArgumentException(
          "ModelConfig temperature must be a number of at least 0," + " not " + temperature);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException(
          "ModelConfig maxTokens must be at least 1, not " + maxTokens);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "ModelConfig requestTimeout must be positive, not " + requestTimeout);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException(
          "ModelConfig maxRetries must not be negative, not " + maxRetries);
    }
  }

  /** A builder with every setting at its default and no provider yet. */
  public static Builder builder() {
    return new Builder();
  }

  /** A replay model reading the given cassette, with every other setting at its default. */
  public static ModelConfig replay(Path cassette) {
    return builder().provider("replay").cassette(cassette).build();
  }

  /** A builder holding this configuration's settings, to change some of them. */
  public Builder toBuilder() {
    Builder builder =
        new Builder()
            .provider(provider)
            .name(name)
            .temperature(temperature)
            .maxTokens(maxTokens)
            .requestTimeout(requestTimeout)
            .maxRetries(maxRetries);
    builder.apiKeyEnv = apiKeyEnv;
    builder.cassette = cassette;
    builder.baseUrl = baseUrl;
    return builder;
  }

  /**
   * Collects the settings of a {@link ModelConfig}; {@link #build()} checks them. Only {@link
   * #provider(String)} must be called; the rest default as in the agent file.
   */
  public static final class Builder {

    private String provider;
    private String name = "";
    private Optional<String> apiKeyEnv = Optional.empty();
    private double temperature = DEFAULT_TEMPERATURE;
    private int maxTokens = DEFAULT_MAX_TOKENS;
    private Optional<Path> cassette = Optional.empty();
    private Optional<URI> baseUrl = Optional.empty();
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxRetries = DEFAULT_MAX_RETRIES;

    private Builder() {}

    /** The provider name, like {@code "openai"}; required. */
    public Builder provider(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** The model name sent to the provider, like {@code "gpt-4o"}; default empty. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The environment variable holding the API key; default the provider's own. */
    public Builder apiKeyEnv(String apiKeyEnv) {
      this.apiKeyEnv = Optional.of(Objects.requireNonNull(apiKeyEnv, "apiKeyEnv"));
      return this;
    }

    /** The sampling temperature; default {@value ModelConfig#DEFAULT_TEMPERATURE}. */
    public Builder temperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /** The reply length limit in tokens; default {@value ModelConfig#DEFAULT_MAX_TOKENS}. */
    public Builder maxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /** The replay cassette; only the {@code replay} provider reads it. */
    public Builder cassette(Path cassette) {
      this.cassette = Optional.of(Objects.requireNonNull(cassette, "cassette"));
      return this;
    }

    /** The API base URL, for OpenAI-compatible servers; default the provider's own. */
    public Builder baseUrl(URI baseUrl) {
      this.baseUrl = Optional.of(Objects.requireNonNull(baseUrl, "baseUrl"));
      return this;
    }

    /** How long one HTTP request may take before it is retried; default 120 seconds. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
      return this;
    }

    /** Retries after a retryable failure; default {@value ModelConfig#DEFAULT_MAX_RETRIES}. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalStateException when no provider was set
     * @throws IllegalArgumentException naming the setting when one is out of range
     */
    public ModelConfig build() {
      if (provider == null) {
        throw new IllegalStateException(
            "ModelConfig.builder(): provider(...) was not called;"
                + " name the provider, like \"openai\", \"anthropic\" or \"replay\"");
      }
      return new ModelConfig(
          provider,
          name,
          apiKeyEnv,
          temperature,
          maxTokens,
          cassette,
          baseUrl,
          requestTimeout,
          maxRetries);
    }
  }
}
