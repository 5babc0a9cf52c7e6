package dev.codepilot.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.model.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentFileTest {

  @TempDir Path dir;

  private Path write(String relative, String content) throws IOException {
    Path path = dir.resolve(relative);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, content);
  }

  private Path copyResource(String resource, String relative) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(getClass().getResourceAsStream("/config/" + resource), resource)) {
      Path target = dir.resolve(relative);
      Files.createDirectories(target.getParent());
      Files.copy(in, target);
      return target;
    }
  }

  @Test
  void referenceExampleLoadsWithEveryFieldHonoured() throws Exception {
    Path file = copyResource("reference/agent.yaml", "agent.yaml");
    copyResource("reference/prompts/instructions.md", "prompts/instructions.md");

    AgentConfig config = AgentFile.load(file);

    assertThat(config.name()).isEqualTo("BackendEngineer");
    assertThat(config.role())
        .isEqualTo("Expert Python backend engineer specialising in FastAPI and PostgreSQL.");
    assertThat(config.systemPrompt())
        .isEqualTo(Files.readString(dir.resolve("prompts/instructions.md")))
        .startsWith("# Instructions");
    assertThat(config.source()).contains(file.toAbsolutePath().normalize());

    ModelConfig model = config.model();
    assertThat(model.provider()).isEqualTo("anthropic");
    assertThat(model.name()).isEqualTo("claude-opus-4-5");
    assertThat(model.apiKeyEnv()).contains("ANTHROPIC_API_KEY");
    assertThat(model.temperature()).isEqualTo(0.2);
    assertThat(model.maxTokens()).isEqualTo(8096);
    assertThat(model.cassette()).isEmpty();
    assertThat(model.baseUrl()).isEmpty();
    assertThat(model.requestTimeout()).isEqualTo(ModelConfig.DEFAULT_REQUEST_TIMEOUT);
    assertThat(model.maxRetries()).isEqualTo(ModelConfig.DEFAULT_MAX_RETRIES);

    RuntimeConfig runtime = config.runtime();
    assertThat(runtime.workDir()).isEqualTo(dir.resolve("workspace").toAbsolutePath());
    assertThat(runtime.workDir()).isDirectory();
    assertThat(runtime.maxSteps()).isEqualTo(30);
    assertThat(runtime.unsafeMode()).isFalse();
    assertThat(runtime.allowedImports())
        .containsExactly("re", "json", "math", "datetime", "pathlib");
    assertThat(runtime.execTimeout()).isEqualTo(RuntimeConfig.DEFAULT_EXEC_TIMEOUT);
    assertThat(runtime.maxOutputChars()).isEqualTo(RuntimeConfig.DEFAULT_MAX_OUTPUT_CHARS);

    assertThat(config.tools())
        .extracting(ToolConfig::name)
        .containsExactly("write_file", "read_file", "run_command", "ask_user");
    assertThat(config.tools()).allMatch(ToolConfig::enabled);
    assertThat(config.tool("write_file").orElseThrow().config())
        .isEqualTo(Map.of("require_permission", false));
    assertThat(config.tool("read_file").orElseThrow().config()).isEmpty();
    ToolConfig runCommand = config.tool("run_command").orElseThrow();
    assertThat(runCommand.requirePermission()).isTrue();
    assertThat(runCommand.timeout()).contains(Duration.ofSeconds(60));
  }

  @Test
  void flatFormReadsTheSameKeysAtTheTopLevel() throws Exception {
    Path file =
        write(
            "agent.yaml",
            """
        name: Flat
        role: tester
        system_prompt: Be brief.
        model:
          provider: openai
          name: gpt-4o
          base_url: http://localhost:11434/v1
        runtime:
          max_steps: 7
        tools:
          - name: run_command
            config: {timeout: 2.5}
        """);

    AgentConfig config = AgentFile.load(file);

    assertThat(config.name()).isEqualTo("Flat");
    assertThat(config.role()).isEqualTo("tester");
    assertThat(config.systemPrompt()).isEqualTo("Be brief.");
    assertThat(config.model().provider()).isEqualTo("openai");
    assertThat(config.model().baseUrl())
        .hasValueSatisfying(uri -> assertThat(uri).hasToString("http://localhost:11434/v1"));
    assertThat(config.runtime().maxSteps()).isEqualTo(7);
    assertThat(config.tool("run_command").orElseThrow().timeout())
        .contains(Duration.ofMillis(2500));
  }

  @Test
  void omittedSettingsTakeTheirDefaults() throws Exception {
    Path file =
        write(
            "agent.yaml",
            """
        agent:
          name: Minimal
          model:
            provider: anthropic
            name: claude-sonnet-4-5
        """);

    AgentConfig config = AgentFile.load(file);

    assertThat(config.role()).isEmpty();
    assertThat(config.systemPrompt()).isEmpty();
    assertThat(config.tools()).isEmpty();
    ModelConfig model = config.model();
    assertThat(model.apiKeyEnv()).isEmpty();
    assertThat(model.temperature()).isEqualTo(0.0);
    assertThat(model.maxTokens()).isEqualTo(4096);
    assertThat(model.requestTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(model.maxRetries()).isEqualTo(4);
    assertThat(config.runtime()).isEqualTo(RuntimeConfig.defaults(dir.resolve("workspace")));
    assertThat(config.runtime().context()).isEqualTo(ContextConfig.DEFAULT);
    assertThat(dir.resolve("workspace")).isDirectory();
  }

  @Test
  void emptyValuesOfOptionalSettingsMeanTheDefault() throws Exception {
    Path file =
        write(
            "agent.yaml",
            """
        name: Nulls
        role:
        system_prompt: ~
        model:
          provider: together
          name: mistralai/Mixtral-8x7B-Instruct-v0.1
          temperature: null
        runtime:
        tools:
        """);

    AgentConfig config = AgentFile.load(file);

    assertThat(config.role()).isEmpty();
    assertThat(config.systemPrompt()).isEmpty();
    assertThat(config.model().temperature()).isEqualTo(0.0);
    assertThat(config.runtime().maxSteps()).isEqualTo(20);
    assertThat(config.tools()).isEmpty();
  }

  @Test
  void everyRuntimeAndModelSettingIsRead() throws Exception {
    write("replies.json", "{\"responses\": []}");
    Path file =
        write(
            "agent.yaml",
            """
        agent:
          name: Full
          model:
            provider: replay
            cassette: replies.json
            temperature: 2
            max_tokens: 100
            request_timeout: 0.5
            max_retries: 0
          runtime:
            work_dir: /ABS/ws
            max_steps: 1
            unsafe_mode: yes
            allowed_imports: [json, xml.etree, collections.abc]
            exec_timeout: 1.25
            max_output_chars: 100
            shell:
              confine: always
              network: true
              env: {GOFLAGS: -mod=mod, LEVEL: 2}
              limits: {processes: 64, open_files: 256, file_size_mb: 10, cpu_seconds: 600}
            context:
              enabled: false
              keep_recent: 2
              result_chars: 0
              window_tokens: 32000
              summarize_at: 0.5
        """
                .replace("/ABS", dir.toString()));

    AgentConfig config = AgentFile.load(file);

    ModelConfig model = config.model();
    assertThat(model.name()).isEmpty();
    assertThat(model.cassette()).contains(dir.resolve("replies.json"));
    assertThat(model.temperature()).isEqualTo(2.0);
    assertThat(model.maxTokens()).isEqualTo(100);
    assertThat(model.requestTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(model.maxRetries()).isZero();
    RuntimeConfig runtime = config.runtime();
    assertThat(runtime.workDir()).isEqualTo(dir.resolve("ws")).isDirectory();
    assertThat(runtime.maxSteps()).isEqualTo(1);
    assertThat(runtime.unsafeMode()).isTrue();
    assertThat(runtime.allowedImports()).containsExactly("json", "xml.etree", "collections.abc");
    assertThat(runtime.execTimeout()).isEqualTo(Duration.ofMillis(1250));
    assertThat(runtime.maxOutputChars()).isEqualTo(100);
    assertThat(runtime.shell())
        .isEqualTo(
            new ShellConfig(
                ShellConfig.Confine.ALWAYS,
                true,
                Map.of("GOFLAGS", "-mod=mod", "LEVEL", "2"),
                new ShellConfig.Limits(64, 256, 10L << 20, OptionalLong.of(600))));
    assertThat(runtime.context())
        .isEqualTo(new ContextConfig(false, 2, 0, OptionalInt.of(32000), 0.5));
  }

  @Test
  void systemPromptFileIsReadRelativeToTheAgentFileNotTheWorkingDirectory() throws Exception {
    write("agents/prompts/main.md", "Follow the plan.\n");
    Path file =
        write(
            "agents/agent.yaml",
            """
        name: A
        system_prompt: prompts/main.md
        model: {provider: openai, name: gpt-4o}
        """);

    assertThat(AgentFile.load(file).systemPrompt()).isEqualTo("Follow the plan.\n");
  }

  @Test
  void systemPromptFileMayBeNamedWithDotSlashParentOrAbsolutePath() throws Exception {
    write("shared/rules.txt", "Shared rules.");
    write("agents/local", "Local, no extension.");
    String yaml =
        """
        name: A
        system_prompt: %s
        model: {provider: openai, name: gpt-4o}
        """;

    Path parent = write("agents/a.yaml", yaml.formatted("../shared/rules.txt"));
    Path dotSlash = write("agents/b.yaml", yaml.formatted("./local"));
    Path absolute = write("agents/c.yaml", yaml.formatted(dir.resolve("shared/rules.txt")));

    assertThat(AgentFile.load(parent).systemPrompt()).isEqualTo("Shared rules.");
    assertThat(AgentFile.load(dotSlash).systemPrompt()).isEqualTo("Local, no extension.");
    assertThat(AgentFile.load(absolute).systemPrompt()).isEqualTo("Shared rules.");
  }

  @Test
  void systemPromptThatIsNotAPathIsTheRawPromptText() throws Exception {
    Path file =
        write(
            "agent.yaml",
            """
        name: A
        system_prompt: |
          You are careful.
          Save notes in ./notes.md
        model: {provider: openai, name: gpt-4o}
        """);

    assertThat(AgentFile.load(file).systemPrompt())
        .isEqualTo("You are careful.\nSave notes in ./notes.md\n");
  }

  @Test
  void sentenceEndingInTxtIsPromptTextWhenNoSuchFileExists() throws Exception {
    Path file =
        write(
            "agent.yaml",
            """
        name: A
        system_prompt: Write your findings to report.txt
        model: {provider: openai, name: gpt-4o}
        """);

    assertThat(AgentFile.load(file).systemPrompt()).isEqualTo("Write your findings to report.txt");
  }

  @Test
  void workDirIsCreatedWithItsParentsAndStoredAbsoluteAndNormalized() throws Exception {
    Path file =
        write(
            "agent.yaml",
            """
        name: A
        model: {provider: openai, name: gpt-4o}
        runtime: {work_dir: "out/./deep/../nested/ws"}
        """);

    Path workDir = AgentFile.load(file).runtime().workDir();

    assertThat(workDir).isEqualTo(dir.resolve("out/nested/ws").toAbsolutePath());
    assertThat(workDir).isAbsolute().isDirectory();
  }

  @Test
  void relativePathsResolveAgainstTheAgentFileEvenWhenGivenARelativeFilePath() throws Exception {
    write("project/prompt.md", "From the project folder.");
    write("project/tape.json", "{\"responses\": [\"hi\"]}");
    Path file =
        write(
            "project/agent.yaml",
            """
        name: A
        system_prompt: prompt.md
        model: {provider: replay, cassette: ./tape.json}
        runtime: {work_dir: ws}
        """);
    Path cwd = Path.of("").toAbsolutePath();
    Path relativeFile = cwd.relativize(file.toAbsolutePath());
    assertThat(relativeFile.isAbsolute()).isFalse();
    assertThat(dir.toAbsolutePath()).isNotEqualTo(cwd);

    AgentConfig config = AgentFile.load(relativeFile);

    Path project = dir.resolve("project").toAbsolutePath().normalize();
    assertThat(config.systemPrompt()).isEqualTo("From the project folder.");
    assertThat(config.model().cassette()).contains(project.resolve("tape.json"));
    assertThat(config.runtime().workDir()).isEqualTo(project.resolve("ws")).isDirectory();
    assertThat(cwd.resolve("ws")).doesNotExist();
    assertThat(config.source()).contains(project.resolve("agent.yaml"));
  }

  @Test
  void replayNeedsNoModelName() throws Exception {
    write("c.json", "{\"responses\": []}");
    Path file =
        write(
            "agent.yaml",
            """
        name: A
        model: {provider: replay, cassette: c.json}
        """);

    assertThat(AgentFile.load(file).model().name()).isEmpty();
  }

  @Test
  void customToolsKeepArbitrarySettings() throws Exception {
    Path file =
        write(
            "agent.yaml",
            """
        name: A
        model: {provider: openai, name: gpt-4o}
        tools:
          - name: fetch_url
            enabled: false
            config:
              retries: 3
              ratio: 0.5
              verbose: true
              base: "https://example.com"
              hosts: [a.example, b.example]
              headers: {Accept: text/html}
          - name: think
          - name: done
            enabled: true
        """);

    AgentConfig config = AgentFile.load(file);

    ToolConfig fetch = config.tool("fetch_url").orElseThrow();
    assertThat(fetch.enabled()).isFalse();
    assertThat(fetch.config())
        .containsOnly(
            Map.entry("retries", 3),
            Map.entry("ratio", 0.5),
            Map.entry("verbose", true),
            Map.entry("base", "https://example.com"),
            Map.entry("hosts", List.of("a.example", "b.example")),
            Map.entry("headers", Map.of("Accept", "text/html")));
    assertThat(config.tools())
        .extracting(ToolConfig::name)
        .containsExactly("fetch_url", "think", "done");
  }

  @Test
  void scalarsAreTakenAsWrittenForTextSettings() throws Exception {
    Path file =
        write(
            "agent.yaml",
            """
        name: 007
        role: yes
        model: {provider: openai, name: 4.5}
        """);

    AgentConfig config = AgentFile.load(file);

    assertThat(config.name()).isEqualTo("007");
    assertThat(config.role()).isEqualTo("yes");
    assertThat(config.model().name()).isEqualTo("4.5");
  }
}
