package dev.codepilot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AgentConfig.Builder}: the agent file's defaults, and clear refusals. */
class AgentConfigBuilderTest {

  @TempDir Path dir;

  @Test
  void theDefaultsAreThoseOfAnAgentFileGivingOnlyNameAndModel() throws Exception {
    Files.writeString(dir.resolve("cassette.json"), "{\"responses\": []}");
    Path file =
        Files.writeString(
            dir.resolve("agent.yaml"),
            """
        agent:
          name: "Minimal"
          model:
            provider: "replay"
            cassette: "./cassette.json"
        """);

    AgentConfig loaded = AgentFile.load(file);
    AgentConfig built =
        AgentConfig.builder()
            .name("Minimal")
            .model(loaded.model())
            .workDir(dir.resolve("workspace"))
            .source(file.toAbsolutePath().normalize())
            .build();

    assertThat(built).isEqualTo(loaded);
  }

  @Test
  void withoutAWorkDirTheWorkspaceIsTheFolderWorkspaceOfTheCurrentDirectory() {
    AgentConfig config = minimal().build();

    assertThat(config.runtime()).isEqualTo(RuntimeConfig.defaults(Path.of("workspace")));
    assertThat(config.runtime().workDir())
        .isEqualTo(Path.of("").toAbsolutePath().resolve("workspace"));
    assertThat(config.role()).isEmpty();
    assertThat(config.systemPrompt()).isEmpty();
    assertThat(config.tools()).isEmpty();
    assertThat(config.source()).isEmpty();
    assertThat(config.session()).isEmpty();
  }

  @Test
  void workDirKeepsTheOtherRuntimeSettings() {
    RuntimeConfig runtime =
        new RuntimeConfig(
            dir, 3, false, RuntimeConfig.DEFAULT_ALLOWED_IMPORTS, Duration.ofSeconds(7), 500);

    AgentConfig config = minimal().runtime(runtime).workDir(dir.resolve("other")).build();

    assertThat(config.runtime().workDir()).isEqualTo(dir.resolve("other"));
    assertThat(config.runtime().maxSteps()).isEqualTo(3);
    assertThat(config.runtime().execTimeout()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void toolsAreKeptInTheOrderGivenAndToolsReplacesThem() {
    ToolConfig shell = new ToolConfig("run_command", false, Map.of());
    ToolConfig write = ToolConfig.enabled("write_file");

    assertThat(minimal().tool(shell).tool(write).build().tools()).containsExactly(shell, write);
    assertThat(minimal().tool(shell).tools(List.of(write)).build().tools()).containsExactly(write);
  }

  @Test
  void toBuilderMakesAnEqualCopyToChange() {
    AgentConfig config =
        minimal()
            .role("checks things")
            .systemPrompt("Be brief.")
            .workDir(dir)
            .tool(ToolConfig.enabled("think"))
            .session(
                new SessionConfig(
                    "postgres",
                    "jdbc:postgresql://localhost/agents",
                    Optional.empty(),
                    Optional.empty()))
            .source(dir.resolve("agent.yaml"))
            .build();

    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(config.toBuilder().name("Other").build().name()).isEqualTo("Other");
  }

  @Test
  void aMissingNameIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> AgentConfig.builder().model(replay()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("AgentConfig.name is not set");
  }

  @Test
  void aBlankNameIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> AgentConfig.builder().name("  ").model(replay()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("AgentConfig.name must not be blank");
  }

  @Test
  void aMissingModelIsRefusedSayingHowToGiveOne() {
    assertThatThrownBy(() -> AgentConfig.builder().name("A").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("AgentConfig.model is not set")
        .hasMessageContaining("ModelConfig.replay");
  }

  @Test
  void aToolGivenTwiceIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                minimal()
                    .tool(ToolConfig.enabled("think"))
                    .tool(new ToolConfig("think", true, Map.of()))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "AgentConfig.tools: the tool 'think' is listed twice; give each tool's"
                + " settings once");
  }

  private AgentConfig.Builder minimal() {
    return AgentConfig.builder().name("Builder Agent").model(replay());
  }

  private ModelConfig replay() {
    return ModelConfig.replay(dir.resolve("cassette.json"));
  }
}
