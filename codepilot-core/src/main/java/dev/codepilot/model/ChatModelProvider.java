package dev.codepilot.model;

/**
 * Creates {@link ChatModel}s for one provider name ({@code "anthropic"}, {@code "openai"}, ...).
 *
 * <p>Providers are found with {@link java.util.ServiceLoader}: a provider module lists its
 * implementation in {@code META-INF/services/dev.codepilot.model.ChatModelProvider}.
 */
public interface ChatModelProvider {

  /** The names this provider answers to in an agent file's {@code model.provider}. */
  java.util.Set<String> names();

  /**
   * Creates a model for the given configuration.
   *
   * @throws ModelException when the configuration cannot work, for example when the API key's
   *     environment variable is not set; the message names the variable
   */
  ChatModel create(ModelConfig config) throws ModelException;
}
