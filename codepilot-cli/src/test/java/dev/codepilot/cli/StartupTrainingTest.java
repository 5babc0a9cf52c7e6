package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's start-up cache trainings finish their runs. */
class StartupTrainingTest {

  @TempDir Path dir;

  @Test
  void trainingRunsTheServedAndTheReplayedStepToTheirEnd() throws Exception {
    Cli.Result result = train(Duration.ofSeconds(180), dir.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout().split("Done: Trained.", -1)).hasSize(3);
  }

  @Test
  void quickTrainingPrintsTheVersionAndEveryCommandsHelp() throws Exception {
    Cli.Result result = train(Duration.ofSeconds(60), "--quick");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).startsWith("codepilot 0.").contains("Usage: codepilot [-hV]");
    for (Class<?> type : CodePilotCommand.SUBCOMMANDS) {
      String name = type.getAnnotation(picocli.CommandLine.Command.class).name();
      assertThat(result.stdout()).contains("Usage: codepilot " + name + " ");
    }
  }

  /** Runs the training with {@code args} in a child JVM, as the launcher does. */
  private Cli.Result train(Duration limit, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "-cp",
                System.getProperty("java.class.path"),
                StartupTraining.class.getName()));
    command.addAll(List.of(args));
    try (Cli.Running running = Cli.startCommand(dir, Map.of(), null, command)) {
      return running.await(limit);
    }
  }
}
