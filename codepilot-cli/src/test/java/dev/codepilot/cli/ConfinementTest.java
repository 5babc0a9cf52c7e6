package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codepilot.tools.CommandJail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code codepilot doctor} and {@code runtime.shell.confine} as a user meets them: a missing or
 * broken bubblewrap gives one clear message, never a stack trace.
 */
@EnabledOnOs(OS.LINUX)
class ConfinementTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Skips where bubblewrap does not work, unless CI demands it with CODEPILOT_REQUIRE_BWRAP=1. */
  static void assumeBubblewrap() {
    CommandJail.Status status = CommandJail.status();
    if ("1".equals(System.getenv("CODEPILOT_REQUIRE_BWRAP"))) {
      assertThat(status.available())
          .as("CODEPILOT_REQUIRE_BWRAP=1, but: " + status.detail())
          .isTrue();
    }
    Assumptions.assumeTrue(status.available(), status.detail());
  }

  @Test
  void doctorSaysThatCommandsAreConfined() throws Exception {
    assumeBubblewrap();

    Cli.Result result = Cli.run(dir, "doctor");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("Java:").contains("Confinement: available - bubblewrap");
  }

  @Test
  void doctorSaysWhatToInstallWhenBubblewrapIsMissing() throws Exception {
    Cli.Result result =
        Cli.run(dir, Map.of("CODEPILOT_BWRAP", dir.resolve("no-bwrap").toString()), "doctor");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout())
        .contains("Confinement: NOT available")
        .contains("apt-get install bubblewrap");
    assertThat(result.stdout() + result.stderr())
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void alwaysRefusesToRunWithoutBubblewrapInOneLineWithExitTwo() throws Exception {
    Path agent =
        agent("always", List.of("```python\nrun_command('touch ran.txt')\ndone('x')\n```"));

    // No bwrap on the PATH: as on a machine without the package.
    Path emptyBin = Files.createDirectories(dir.resolve("empty-bin"));
    Cli.Result result =
        Cli.run(dir, Map.of("PATH", emptyBin.toString()), "run", agent.toString(), "go");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr().strip())
        .startsWith(
            "codepilot: runtime.shell.confine is 'always',"
                + " but commands cannot be confined here: bubblewrap (bwrap) is not installed")
        .contains("apt-get install bubblewrap")
        .doesNotContain("\n")
        .doesNotContain("Exception");
    assertThat(dir.resolve("ws/ran.txt")).doesNotExist();
  }

  @Test
  void autoWarnsOnceAboutABrokenBubblewrapAndRunsCommandsUnconfined() throws Exception {
    Path broken = dir.resolve("bwrap");
    Files.writeString(
        broken,
        "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\n" + "exit 1\n");
    broken.toFile().setExecutable(true);
    Path agent =
        agent(
            "auto",
            List.of(
                "```python\nrun_command('echo one > one.txt')\n```",
                "```python\nrun_command('echo two > two.txt')\ndone('both ran')\n```"));

    Cli.Result result =
        Cli.run(dir, Map.of("CODEPILOT_BWRAP", broken.toString()), "run", agent.toString(), "go");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(dir.resolve("ws/one.txt")).hasContent("one");
    assertThat(dir.resolve("ws/two.txt")).hasContent("two");
    List<String> warnings = result.stderr().lines().filter(l -> l.contains("unconfined")).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.getFirst())
        .startsWith("codepilot: warning: run_command runs commands" + " unconfined")
        .contains("bwrap: setting up uid map: Permission denied")
        .contains("user namespaces")
        .contains("runtime.shell.confine: never");
    assertThat(result.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void neverNeitherChecksNorWarns() throws Exception {
    Path agent =
        agent("never", List.of("```python\nrun_command('echo ok > ok.txt')\ndone('x')\n```"));

    Cli.Result result =
        Cli.run(
            dir,
            Map.of("CODEPILOT_BWRAP", dir.resolve("no-bwrap").toString()),
            "run",
            agent.toString(),
            "go");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).doesNotContain("unconfined").doesNotContain("bubblewrap");
    assertThat(dir.resolve("ws/ok.txt")).hasContent("ok");
  }

  private Path agent(String confine, List<String> replies) throws Exception {
    Files.writeString(dir.resolve("c.json"), JSON.writeValueAsString(Map.of("responses", replies)));
    Path agent = dir.resolve("agent.yaml");
    Files.writeString(
        agent,
        """
        agent:
          name: "Confined"
          model:
            provider: "replay"
            cassette: "./c.json"
          runtime:
            work_dir: "./ws"
            shell:
              confine: %s
        """
            .formatted(confine));
    return agent;
  }
}
