package dev.codepilot.model.openai;

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
 * The {@code openai} and {@code together} model providers: the Chat Completions API, streamed.
 *
 * <p>{@code openai} calls {@code https://api.openai.com/v1} with the key in {@code OPENAI_API_KEY};
 * with {@code model.base_url} it calls any OpenAI-compatible server instead, and a server on this
 * machine (Ollama at {@code http://localhost:11434/v1}, vLLM, LM Studio) needs no key. {@code
 * together} calls {@code https://api.together.xyz/v1} with the key in {@code TOGETHER_API_KEY}.
 * {@code model.api_key_env} names another variable.
 *
 * <pre>{@code
 * model:
 *   provider: openai
 *   name: qwen2.5-coder:7b
 *   base_url: http://localhost:11434/v1
 * }</pre>
 *
 * <p>Found by {@link java.util.ServiceLoader}; use {@link dev.codepilot.model.ChatModels#create}.
 */
public final class OpenAiProvider implements ChatModelProvider {

  static final URI OPENAI_URL = URI.create("https://api.openai.com/v1");
  static final URI TOGETHER_URL = URI.create("https://api.together.xyz/v1");

  private final Function<String, String> environment;
  private final Backoff backoff;

  /** The provider as {@link java.util.ServiceLoader} creates it, reading the real environment. */
  public OpenAiProvider() {
    this(System::getenv, Backoff.DEFAULT);
  }

  /** For tests: a stand-in environment and a shorter backoff. */
  OpenAiProvider(Function<String, String> environment, Backoff backoff) {
    this.environment = environment;
    this.backoff = backoff;
  }

  @Override
  public Set<String> names() {
    return Set.of("openai", "together");
  }

  @Override
  public ChatModel create(ModelConfig config) throws ModelException {
    return createModel(config);
  }

  OpenAiChatModel createModel(ModelConfig config) throws ModelException {
    String name = config.provider();
    if (!names().contains(name)) {
      throw new ModelException("the OpenAI provider cannot create a '" + name + "' model");
    }
    boolean together = name.equals("together");
    if (config.name().isBlank()) {
      throw new ModelException(
          "model.name is required for the "
              + name
              + " provider (for example "
              + (together ? "meta-llama/Llama-3.3-70B-Instruct-Turbo" : "gpt-4o")
              + ")");
    }
    URI baseUrl = config.baseUrl().orElse(together ? TOGETHER_URL : OPENAI_URL);
    String scheme = Optional.ofNullable(baseUrl.getScheme()).orElse("").toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
      throw new ModelException(
          "model.base_url must be an http:// or https:// URL with a host,"
              + " such as http://localhost:11434/v1; got '"
              + baseUrl
              + "'");
    }
    String provider =
        together
            ? "Together"
            : config.baseUrl().isPresent()
                ? "the OpenAI-compatible server at " + baseUrl
                : "OpenAI";

    boolean envNamed = config.apiKeyEnv().filter(env -> !env.isBlank()).isPresent();
    String keyEnv =
        config
            .apiKeyEnv()
            .filter(env -> !env.isBlank())
            .orElse(together ? "TOGETHER_API_KEY" : "OPENAI_API_KEY");
    Optional<String> key =
        Optional.ofNullable(environment.apply(keyEnv))
            .map(String::strip)
            .filter(value -> !value.isEmpty());
    // A local server (Ollama needs no key) may go without one, unless a variable was named.
    boolean keyless = !together && config.baseUrl().isPresent() && !envNamed && isLoopback(baseUrl);
    if (key.isEmpty() && !keyless) {
      throw new ModelException(
          "the "
              + name
              + " provider needs an API key, but the environment"
              + " variable "
              + keyEnv
              + " is not set; set it, or name the variable that holds the key"
              + " with model.api_key_env");
    }

    OpenAiChatModel.Settings settings =
        new OpenAiChatModel.Settings(
            provider,
            baseUrl,
            config.name(),
            key,
            keyEnv,
            config.temperature(),
            config.maxTokens());
    return new OpenAiChatModel(
        settings, new HttpTransport(config.requestTimeout(), config.maxRetries(), backoff));
  }

  /**
   * True for {@code localhost} and loopback address literals (127.0.0.0/8, ::1). Names are not
   * looked up: a host name that merely resolves to this machine still needs a key.
   */
  static boolean isLoopback(URI url) {
    String host = Optional.ofNullable(url.getHost()).orElse("").toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return true;
    }
    if (host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    return host.matches("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
  }
}
