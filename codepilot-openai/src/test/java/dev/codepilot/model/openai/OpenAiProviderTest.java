package dev.codepilot.model.openai;

import static dev.codepilot.testing.http.FakeServer.sse;
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

class OpenAiProviderTest {

  static ModelConfig config(String provider, Optional<String> keyEnv, Optional<URI> baseUrl) {
    ModelConfig.Builder config =
        ModelConfig.builder()
            .provider(provider)
            .name("some-model")
            .maxTokens(100)
            .requestTimeout(Duration.ofSeconds(5))
            .maxRetries(1);
    keyEnv.ifPresent(config::apiKeyEnv);
    baseUrl.ifPresent(config::baseUrl);
    return config.build();
  }

  static OpenAiProvider provider(Map<String, String> env) {
    return new OpenAiProvider(env::get, OpenAiChatModelTest.FAST);
  }

  static FakeServer.Reply ok(String text) {
    return sse(
        OpenAiChatModelTest.chunk(text),
        OpenAiChatModelTest.finish("stop"),
        OpenAiChatModelTest.DONE);
  }

  @Test
  void answersToOpenAiAndTogether() {
    assertThat(new OpenAiProvider().names()).containsExactlyInAnyOrder("openai", "together");
  }

  @Test
  void missingOpenAiKeyNamesTheVariable() {
    assertThatThrownBy(
            () -> provider(Map.of()).create(config("openai", Optional.empty(), Optional.empty())))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("OPENAI_API_KEY is not set")
        .hasMessageContaining("model.api_key_env");
  }

  @Test
  void missingTogetherKeyNamesTheTogetherVariable() {
    assertThatThrownBy(
            () -> provider(Map.of()).create(config("together", Optional.empty(), Optional.empty())))
        .hasMessageContaining("TOGETHER_API_KEY is not set");
  }

  @Test
  void blankKeyCountsAsMissing() {
    assertThatThrownBy(
            () ->
                provider(Map.of("OPENAI_API_KEY", "  "))
                    .create(config("openai", Optional.empty(), Optional.empty())))
        .hasMessageContaining("OPENAI_API_KEY is not set");
  }

  @Test
  void namedKeyVariableIsReadAndSentAsBearerToken() throws Exception {
    assertThatThrownBy(
            () ->
                provider(Map.of("OPENAI_API_KEY", "unused"))
                    .create(config("openai", Optional.of("MY_GATEWAY_KEY"), Optional.empty())))
        .hasMessageContaining("MY_GATEWAY_KEY is not set");

    try (FakeServer server = new FakeServer()) {
      server.then(ok("hi"));
      try (ChatModel model =
          provider(Map.of("MY_GATEWAY_KEY", "gw-123"))
              .create(
                  config(
                      "openai", Optional.of("MY_GATEWAY_KEY"), Optional.of(server.url("/v1"))))) {
        model.complete(ModelRequest.of("s", List.of(Message.user("hi"))));
      }
      assertThat(server.request(0).header("Authorization")).isEqualTo("Bearer gw-123");
    }
  }

  @Test
  void localServerNeedsNoKeyAndGetsNoAuthorizationHeader() throws Exception {
    try (FakeServer server = new FakeServer()) {
      server.then(ok("local reply"));
      try (ChatModel model =
          provider(Map.of())
              .create(config("openai", Optional.empty(), Optional.of(server.url("/v1"))))) {
        assertThat(model.complete(ModelRequest.of("s", List.of(Message.user("hi")))).text())
            .isEqualTo("local reply");
      }
      assertThat(server.request(0).header("Authorization")).isNull();
      assertThat(server.request(0).path()).isEqualTo("/v1/chat/completions");
    }
  }

  @Test
  void remoteCompatibleServerStillNeedsAKey() {
    assertThatThrownBy(
            () ->
                provider(Map.of())
                    .create(
                        config(
                            "openai",
                            Optional.empty(),
                            Optional.of(URI.create("https://llm.example.com/v1")))))
        .hasMessageContaining("OPENAI_API_KEY is not set");
  }

  @Test
  void defaultBaseUrlsAreOpenAiAndTogether() throws Exception {
    Map<String, String> env = Map.of("OPENAI_API_KEY", "k1", "TOGETHER_API_KEY", "k2");

    OpenAiChatModel together =
        provider(env).createModel(config("together", Optional.empty(), Optional.empty()));
    OpenAiChatModel openai =
        provider(env).createModel(config("openai", Optional.empty(), Optional.empty()));

    assertThat(together.settings().chatUrl())
        .isEqualTo(URI.create("https://api.together.xyz/v1/chat/completions"));
    assertThat(together.settings().apiKey()).contains("k2");
    assertThat(together.settings().provider()).isEqualTo("Together");
    assertThat(openai.settings().chatUrl())
        .isEqualTo(URI.create("https://api.openai.com/v1/chat/completions"));
    assertThat(openai.settings().apiKey()).contains("k1");
  }

  @Test
  void trailingSlashInBaseUrlIsTolerated() throws Exception {
    OpenAiChatModel model =
        provider(Map.of())
            .createModel(
                config(
                    "openai",
                    Optional.empty(),
                    Optional.of(URI.create("http://localhost:11434/v1/"))));

    assertThat(model.settings().chatUrl())
        .isEqualTo(URI.create("http://localhost:11434/v1/chat/completions"));
  }

  @Test
  void blankModelNameAndBadBaseUrlAreRejected() {
    ModelConfig noName =
        ModelConfig.builder()
            .provider("openai")
            .name(" ")
            .maxTokens(10)
            .requestTimeout(Duration.ofSeconds(1))
            .maxRetries(0)
            .build();
    assertThatThrownBy(() -> provider(Map.of("OPENAI_API_KEY", "k")).create(noName))
        .hasMessageContaining("model.name is required");
    assertThatThrownBy(
            () ->
                provider(Map.of("OPENAI_API_KEY", "k"))
                    .create(
                        config(
                            "openai", Optional.empty(), Optional.of(URI.create("ftp://host/v1")))))
        .hasMessageContaining("model.base_url must be an http:// or https:// URL");
  }

  @Test
  void loopbackMeansLocalhostOrALoopbackLiteral() {
    for (String local :
        List.of(
            "http://localhost:11434/v1",
            "http://LOCALHOST/v1",
            "http://127.0.0.1:8000/v1",
            "http://127.1.2.3/v1",
            "http://[::1]:1234/v1")) {
      assertThat(OpenAiProvider.isLoopback(URI.create(local))).as(local).isTrue();
    }
    for (String remote :
        List.of(
            "https://api.openai.com/v1",
            "http://10.0.0.5/v1",
            "http://127.0.0.1.example.com/v1",
            "http://192.168.1.2:11434/v1")) {
      assertThat(OpenAiProvider.isLoopback(URI.create(remote))).as(remote).isFalse();
    }
  }

  @Test
  void serviceLoaderFindsTheProviderByName() throws Exception {
    assertThat(
            ServiceLoader.load(ChatModelProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(OpenAiProvider.class);
    assertThat(ChatModels.knownProviderNames()).contains("openai", "together");

    try (FakeServer server = new FakeServer()) {
      server.then(ok("found"));
      try (ChatModel model =
          ChatModels.create(config("openai", Optional.empty(), Optional.of(server.url("/v1"))))) {
        assertThat(model.complete(ModelRequest.of("s", List.of(Message.user("hi")))).text())
            .isEqualTo("found");
      }
    }
    assertThatThrownBy(
            () ->
                ChatModels.create(
                    config(
                        "together",
                        Optional.of("CODEPILOT_TEST_SURELY_UNSET_KEY"),
                        Optional.empty())))
        .hasMessageContaining("CODEPILOT_TEST_SURELY_UNSET_KEY is not set");
  }
}
