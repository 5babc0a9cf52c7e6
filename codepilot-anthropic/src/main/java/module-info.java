/**
 * The {@code anthropic} model provider: the Messages API with prompt caching. Found by provider
 * name through {@link java.util.ServiceLoader}; nothing needs to name this module's classes.
 */
module dev.codepilot.model.anthropic {
  requires transitive dev.codepilot;
  requires dev.codepilot.model.http;

  exports dev.codepilot.model.anthropic;

  provides dev.codepilot.model.ChatModelProvider with
      dev.codepilot.model.anthropic.AnthropicProvider;
}
