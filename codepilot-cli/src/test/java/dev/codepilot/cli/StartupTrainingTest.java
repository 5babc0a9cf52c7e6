package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's start-up cache trainings finish their runs. */
class StartupTrainingTest {

  @TempDir Path dir;

  @Test
  void trainingRunsTheServedAndTheReplayedStepToTheirEnd() throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "-cp",
                System.getProperty("java.class.path"),
                StartupTraining.class.getName(),
                dir.toString()));
    Path out = dir.resolve("out.txt");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("finished in time").isTrue();
    String output = Files.readString(out);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output.split("Done: Trained.", -1)).hasSize(3);
  }

  @Test
  void quickTrainingPrintsTheVersionAndEveryCommandsHelp() throws Exception {
    Path out = dir.resolve("quick.txt");
    Process process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                StartupTraining.class.getName(),
                "--quick")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished in time").isTrue();
    String output = Files.readString(out);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).startsWith("codepilot 0.").contains("Usage: codepilot [-hV]");
    for (Class<?> type : CodePilotCommand.SUBCOMMANDS) {
      String name = type.getAnnotation(picocli.CommandLine.Command.class).name();
      assertThat(output).contains("Usage: codepilot " + name + " ");
    }
  }
}
