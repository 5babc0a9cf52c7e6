package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

  @TempDir
  Path dir;

  @Test
  void aMissingAgentFileIsABadUsageNamingTheFile() {
    Path missing = dir.resolve("missing.yaml");

    Captured run = Captured.run("serve", missing.toString(), "--port", "0");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("missing.yaml");
  }

  @Test
  void badOptionsAreBadUsage() {
    String agent = dir.resolve("agent.yaml").toString();

    assertThat(Captured.run("serve", agent, "--port", "70000").code()).isEqualTo(2);
    assertThat(Captured.run("serve", agent, "--idle-timeout", "soon").code()).isEqualTo(2);
    assertThat(Captured.run("serve").code()).isEqualTo(2);
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

  private record Captured(int code, String err) {

    static Captured run(String... args) {
      PrintStream original = System.err;
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
      try {
        int code = Main.run(args);
        return new Captured(code, buffer.toString(StandardCharsets.UTF_8));
      } finally {
        System.setErr(original);
      }
    }
  }
}
