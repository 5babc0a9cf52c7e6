package dev.codepilot.model.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ChatModelProvider;
import dev.codepilot.model.ChatModels;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelConfig;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.testing.http.FakeServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class AnthropicProviderTest {

  static ModelConfig config(Optional<String> keyEnv, Optional<URI> baseUrl) {
    ModelConfig.Builder config =
        ModelConfig.builder()
            .provider("anthropic")
            .name("claude-test")
            .maxTokens(100)
            .requestTimeout(Duration.ofSeconds(5))
            .maxRetries(1);
    keyEnv.ifPresent(config::apiKeyEnv);
    baseUrl.ifPresent(config::baseUrl);
    return config.build();
  }

  static AnthropicProvider provider(Map<String, String> env) {
    return new AnthropicProvider(env::get, AnthropicChatModelTest.FAST);
  }

  @Test
  void missingKeyNamesTheVariable() {
    assertThatThrownBy(() -> provider(Map.of()).create(config(Optional.empty(), Optional.empty())))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("ANTHROPIC_API_KEY is not set")
        .hasMessageContaining("model.api_key_env");
  }

  @Test
  void localBaseUrlStillNeedsAKey() {
    assertThatThrownBy(
            () ->
                provider(Map.of())
                    .create(
                        config(Optional.empty(), Optional.of(URI.create("http://localhost:8080")))))
        .hasMessageContaining("ANTHROPIC_API_KEY is not set");
  }

  @Test
  void namedKeyVariableIsReadAndSentAsApiKey() throws Exception {
    assertThatThrownBy(
            () ->
                provider(Map.of("ANTHROPIC_API_KEY", "unused"))
                    .create(config(Optional.of("CLAUDE_KEY"), Optional.empty())))
        .hasMessageContaining("CLAUDE_KEY is not set");

    try (FakeServer server = new FakeServer()) {
      server.then(AnthropicChatModelTest.okReply("hi"));
      try (ChatModel model =
          provider(Map.of("CLAUDE_KEY", "sk-ant-named"))
              .create(config(Optional.of("CLAUDE_KEY"), Optional.of(server.url(""))))) {
        assertThat(model.complete(ModelRequest.of("s", List.of(Message.user("hi")))).text())
            .isEqualTo("hi");
      }
      assertThat(server.request(0).header("x-api-key")).isEqualTo("sk-ant-named");
    }
  }

  @Test
  void defaultsToAnthropicsApiAndAcceptsABaseUrlEndingInV1() throws Exception {
    Map<String, String> env = Map.of("ANTHROPIC_API_KEY", "k");

    assertThat(
            provider(env)
                .createModel(config(Optional.empty(), Optional.empty()))
                .settings()
                .messagesUrl())
        .isEqualTo(URI.create("https://api.anthropic.com/v1/messages"));
    assertThat(
            provider(env)
                .createModel(
                    config(Optional.empty(), Optional.of(URI.create("https://gw.example.com/v1/"))))
                .settings()
                .messagesUrl())
        .isEqualTo(URI.create("https://gw.example.com/v1/messages"));
    assertThat(
            provider(env)
                .createModel(
                    config(
                        Optional.empty(),
                        Optional.of(URI.create("https://gw.example.com/anthropic"))))
                .settings()
                .messagesUrl())
        .isEqualTo(URI.create("https://gw.example.com/anthropic/v1/messages"));
  }

  @Test
  void blankModelNameAndBadBaseUrlAreRejected() {
    ModelConfig noName =
        ModelConfig.builder()
            .provider("anthropic")
            .maxTokens(10)
            .requestTimeout(Duration.ofSeconds(1))
            .maxRetries(0)
            .build();
    assertThatThrownBy(() -> provider(Map.of("ANTHROPIC_API_KEY", "k")).create(noName))
        .hasMessageContaining("model.name is required");
    assertThatThrownBy(
            () ->
                provider(Map.of("ANTHROPIC_API_KEY", "k"))
                    .create(config(Optional.empty(), Optional.of(URI.create("api.anthropic.com")))))
        .hasMessageContaining("model.base_url must be an http:// or https:// URL");
  }

  @Test
  void serviceLoaderFindsTheProviderByName() {
    assertThat(
            ServiceLoader.load(ChatModelProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(AnthropicProvider.class);
    assertThat(ChatModels.knownProviderNames()).contains("anthropic");
    // The message comes from this provider, not from ChatModels' "not on the class path".
    assertThatThrownBy(
            () ->
                ChatModels.create(
                    config(Optional.of("CODEPILOT_TEST_SURELY_UNSET_KEY"), Optional.empty())))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("CODEPILOT_TEST_SURELY_UNSET_KEY is not set");
  }
}
