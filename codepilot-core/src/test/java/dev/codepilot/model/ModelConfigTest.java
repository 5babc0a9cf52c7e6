package dev.codepilot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.AgentFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

  @TempDir Path dir;

  @Test
  void builderDefaultsAreTheAgentFilesDefaults() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("agent.yaml"), "name: A\nmodel: {provider: openai, name: gpt-4o}\n");
    AgentConfig loaded = AgentFile.load(file);

    ModelConfig built = ModelConfig.builder().provider("openai").name("gpt-4o").build();

    assertThat(built).isEqualTo(loaded.model());
  }

  @Test
  void builderSetsEverySetting() {
    Path cassette = dir.resolve("c.json");
    ModelConfig config =
        ModelConfig.builder()
            .provider("together")
            .name("llama")
            .apiKeyEnv("MY_KEY")
            .temperature(0.7)
            .maxTokens(99)
            .cassette(cassette)
            .baseUrl(URI.create("http://localhost:1/v1"))
            .requestTimeout(Duration.ofSeconds(3))
            .maxRetries(0)
            .build();

    assertThat(config)
        .isEqualTo(
            new ModelConfig(
                "together",
                "llama",
                Optional.of("MY_KEY"),
                0.7,
                99,
                Optional.of(cassette),
                Optional.of(URI.create("http://localhost:1/v1")),
                Duration.ofSeconds(3),
                0));
  }

  @Test
  void toBuilderChangesOnlyWhatIsSet() {
    ModelConfig original =
        ModelConfig.builder()
            .provider("openai")
            .name("a")
            .apiKeyEnv("K")
            .baseUrl(URI.create("https://example.test/v1"))
            .maxRetries(1)
            .build();

    ModelConfig changed = original.toBuilder().name("b").build();

    assertThat(changed.name()).isEqualTo("b");
    assertThat(changed.toBuilder().name("a").build()).isEqualTo(original);
  }

  @Test
  void replayIsTheShortFormOfTheBuilder() {
    Path cassette = dir.resolve("cassette.json");

    assertThat(ModelConfig.replay(cassette))
        .isEqualTo(ModelConfig.builder().provider("replay").cassette(cassette).build());
    assertThat(ModelConfig.replay(cassette).maxTokens()).isEqualTo(ModelConfig.DEFAULT_MAX_TOKENS);
  }

  @Test
  void aBuilderWithoutProviderSaysSo() {
    assertThatThrownBy(() -> ModelConfig.builder().name("gpt-4o").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("provider(...) was not called");
  }

  @Test
  void outOfRangeSettingsAreNamed() {
    assertThatThrownBy(() -> ModelConfig.builder().provider(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("provider");
    assertThatThrownBy(() -> ModelConfig.builder().provider("openai").maxTokens(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTokens must be at least 1, not 0");
    assertThatThrownBy(() -> ModelConfig.builder().provider("openai").temperature(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature");
    assertThatThrownBy(
            () -> ModelConfig.builder().provider("openai").requestTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> ModelConfig.builder().provider("openai").maxRetries(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRetries");
  }
}
