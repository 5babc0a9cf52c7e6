package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

  @TempDir Path dir;

  @Test
  void aMissingAgentFileIsABadUsageNamingTheFile() throws Exception {
    Path missing = dir.resolve("missing.yaml");

    Cli.Result run = Cli.run(dir, "serve", missing.toString(), "--port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains(missing + ": agent file not found");
  }

  @Test
  void badOptionsAreBadUsageThatSaysWhatWasWrong() throws Exception {
    String agent = dir.resolve("agent.yaml").toString();

    Cli.Result port = Cli.run(dir, "serve", agent, "--port", "70000");
    assertThat(port.exitCode()).isEqualTo(2);
    assertThat(port.stderr()).contains("--port must be between 0 and 65535, not 70000");
    Cli.Result timeout = Cli.run(dir, "serve", agent, "--idle-timeout", "soon");
    assertThat(timeout.exitCode()).isEqualTo(2);
    assertThat(timeout.stderr()).contains("'soon' is not a duration");
    Cli.Result noFile = Cli.run(dir, "serve");
    assertThat(noFile.exitCode()).isEqualTo(2);
    assertThat(noFile.stderr()).contains("Missing required parameter: 'AGENT_FILE'");
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    ServeCommand.DurationConverter converter = new ServeCommand.DurationConverter();

    assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(converter.convert("PT1M")).isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> converter.convert("0s"))
        .isInstanceOf(CommandLine.TypeConversionException.class);
  }
}
