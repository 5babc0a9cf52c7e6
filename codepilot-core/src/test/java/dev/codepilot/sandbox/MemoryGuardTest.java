package dev.codepilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory guard: its setting, and a heap-filling block beside an ordinary agent. */
class MemoryGuardTest {

  @TempDir Path dir;

  @Test
  void theShareComesFromThePropertyThenTheVariable() {
    assertThat(MemoryGuard.configuredShare(null, null)).isEqualTo(MemoryGuard.DEFAULT_SHARE);
    assertThat(MemoryGuard.configuredShare(" 0.5 ", "0.7")).isEqualTo(0.5);
    assertThat(MemoryGuard.configuredShare("", "0.7")).isEqualTo(0.7);
    assertThat(MemoryGuard.configuredShare(null, "1")).isEqualTo(1.0);
  }

  @Test
  void aShareThatIsNotAFractionIsRefusedNamingTheSetting() {
    for (String bad : List.of("0", "-0.5", "1.5", "80%", "NaN", "lots")) {
      assertThatThrownBy(() -> MemoryGuard.configuredShare(bad, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("codepilot.maxMemoryShare")
          .hasMessageContaining("'" + bad + "'");
      assertThatThrownBy(() -> MemoryGuard.configuredShare(null, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("CODEPILOT_MAX_MEMORY_SHARE");
    }
  }

  @Test
  void aBlockFillingTheHeapIsStoppedWhileAnotherAgentGoesOn() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx512m",
                "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                SharedHeapChild.class.getName()));
    Process child =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertThat(child.waitFor(150, TimeUnit.SECONDS))
          .as("the child ended; stderr: %s", Files.readString(err))
          .isTrue();
    } finally {
      child.destroyForcibly();
    }
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as("%s %s", lines, Files.readString(err)).isZero();
    String bomb = lines.stream().filter(l -> l.startsWith("BOMB ")).findFirst().orElseThrow();
    String calm = lines.stream().filter(l -> l.startsWith("CALM ")).findFirst().orElseThrow();

    assertThat(bomb)
        .startsWith("BOMB FINISHED")
        .contains("100000000")
        .contains("MemoryError: the block was stopped because the Java heap")
        .contains("cleared");
    assertThat(calm).startsWith("CALM FINISHED").doesNotContain("Error");
    for (int i = 0; i < SharedHeapChild.CALM_BLOCKS; i++) {
      assertThat(calm).contains("calm " + i + " ");
    }
    assertThat(Files.readString(err)).doesNotContain("OutOfMemoryError");
  }
}
