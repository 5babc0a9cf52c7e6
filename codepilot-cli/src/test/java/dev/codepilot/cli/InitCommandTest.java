package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code codepilot init}: the agent it makes runs as it is, and nothing is overwritten. */
class InitCommandTest {

  @TempDir Path dir;

  @Test
  void theNewAgentRunsAtOnceOffline() throws Exception {
    Cli.Result init = Cli.run(dir, "init", "my-agent");

    assertThat(init.exitCode()).as(init.stderr()).isZero();
    assertThat(init.stdout())
        .contains("my-agent/agent.yaml")
        .contains("my-agent/cassette.json")
        .contains("my-agent/prompts/instructions.md")
        .contains("my-agent/workspace/")
        .contains("codepilot run my-agent/agent.yaml \"Say hello\"");
    Path agent = dir.resolve("my-agent");
    assertThat(agent.resolve("workspace")).isDirectory();
    String yaml = Files.readString(agent.resolve("agent.yaml"));
    assertThat(yaml).contains("name: \"my-agent\"");
    for (String field :
        new String[] {
          "role:",
          "system_prompt:",
          "provider:",
          "name:",
          "api_key_env:",
          "temperature:",
          "max_tokens:",
          "cassette:",
          "base_url:",
          "work_dir:",
          "max_steps:",
          "unsafe_mode:",
          "allowed_imports:",
          "exec_timeout:",
          "max_output_chars:",
          "tools:",
          "require_permission:",
          "timeout:",
          "enabled:"
        }) {
      assertThat(yaml).as(field).contains(field);
    }
    assertThat(Files.readString(agent.resolve("cassette.json"))).contains("Scripted replies");

    Cli.Result run = Cli.run(dir, "run", "my-agent/agent.yaml", "Say hello");
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertThat(run.stdout()).contains("Done: Wrote hello.md");
    assertThat(agent.resolve("workspace/hello.md")).content().contains("Hello from CodePilot");
  }

  @Test
  void itNeverOverwritesAndNamesTheFilesInTheWay() throws Exception {
    Path agent = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(agent.resolve("agent.yaml"), "mine");
    Files.createDirectories(agent.resolve("prompts"));
    Files.writeString(agent.resolve("prompts/instructions.md"), "mine too");

    Cli.Result result = Cli.run(dir, "init", "taken");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr())
        .contains("taken/agent.yaml")
        .contains("taken/prompts/instructions.md")
        .doesNotContain("cassette.json");
    assertThat(agent.resolve("agent.yaml")).hasContent("mine");
    assertThat(agent.resolve("cassette.json")).doesNotExist();
  }

  @Test
  void withoutAFolderItUsesTheCurrentOne() throws Exception {
    Path here = Files.createDirectories(dir.resolve("Here Agent"));
    Cli.Result result = Cli.run(here, "init");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("codepilot run agent.yaml \"Say hello\"");
    assertThat(Files.readString(here.resolve("agent.yaml"))).contains("name: \"Here Agent\"");
  }
}
