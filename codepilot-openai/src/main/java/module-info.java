/**
 * The {@code openai} and {@code together} model providers: the Chat Completions API, for OpenAI and
 * any OpenAI-compatible server. Found by provider name through {@link java.util.ServiceLoader};
 * nothing needs to name this module's classes.
 */
module dev.codepilot.model.openai {
  requires transitive dev.codepilot;
  requires dev.codepilot.model.http;

  exports dev.codepilot.model.openai;

  provides dev.codepilot.model.ChatModelProvider with
      dev.codepilot.model.openai.OpenAiProvider;
}
