package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./codepilot} launcher on the jars the package phase built, in a copy of the
 * repository's layout: the first agent command makes both start-up caches, and the commands that
 * run no agent then load their classes from the small one.
 */
class LauncherIT {

  @TempDir Path dir;

  private Path root;

  @BeforeEach
  void layOut() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    Path repository = Cli.repositoryRoot();
    Path launcher = root.resolve("codepilot");
    Files.copy(repository.resolve("codepilot"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(repository.resolve("scripts/find-jdk.sh"), root.resolve("scripts/find-jdk.sh"));
    Path target = Files.createDirectories(root.resolve("codepilot-cli/target"));
    Path built = Path.of("target").toAbsolutePath();
    assertThat(built.resolve("codepilot-cli.jar")).as("built by the package phase").isRegularFile();
    Files.createSymbolicLink(
        target.resolve("codepilot-cli.jar"), built.resolve("codepilot-cli.jar"));
    Files.createSymbolicLink(target.resolve("lib"), built.resolve("lib"));
  }

  @Test
  void quickCommandsUseTheSmallCacheMadeWithTheLargeOne() throws Exception {
    Path cache = root.resolve("codepilot-cli/target/startup-cache");

    Cli.Result version = launch(Map.of(), "--version");
    assertThat(version.exitCode()).as(version.stderr()).isZero();
    assertThat(version.stdout()).startsWith("codepilot 0.");
    assertThat(cache.resolve("quick.aot")).as("made by an agent command only").doesNotExist();

    Path agent = Cli.copyExample("hello", dir.resolve("hello")).resolve("agent.yaml");
    Cli.Result run =
        launch(Map.of(), "run", agent.toString(), "Write a greeting script and run it");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("Done: Created hello.sh");
    assertThat(cache.resolve("codepilot.aot")).isRegularFile();
    assertThat(cache.resolve("quick.aot")).isRegularFile();

    for (List<String> quick : List.of(List.of("--help"), List.of("run", "--help"))) {
      Path classes = dir.resolve("classes.txt");
      Cli.Result help =
          launch(
              Map.of("CODEPILOT_JAVA_OPTS", "-Xlog:class+load:file=" + classes),
              quick.toArray(String[]::new));
      assertThat(help.exitCode()).as(help.stderr()).isZero();
      assertThat(help.stdout()).contains("Usage: codepilot");
      assertThat(Files.readAllLines(classes))
          .as("%s loads the command line from the small cache", quick)
          .anyMatch(line -> line.contains("dev.codepilot.cli.Main source: shared objects file"))
          .noneMatch(line -> line.contains("org.graalvm"));
    }

    Path classes = dir.resolve("uncached.txt");
    Cli.Result uncached =
        launch(
            Map.of(
                "CODEPILOT_STARTUP_CACHE",
                "off",
                "CODEPILOT_JAVA_OPTS",
                "-Xlog:class+load:file=" + classes),
            "--help");
    assertThat(uncached.exitCode()).as(uncached.stderr()).isZero();
    assertThat(Files.readAllLines(classes))
        .anyMatch(line -> line.contains("dev.codepilot.cli.Main source: file:"));
  }

  /** Runs the launcher in the copy, without the daemon, with the test JVM's JDK. */
  private Cli.Result launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(root.resolve("codepilot").toString()));
    command.addAll(List.of(args));
    Map<String, String> settings = new HashMap<>(env);
    settings.put("JAVA_HOME", System.getProperty("java.home"));
    settings.put("CODEPILOT_DAEMON", "off");
    try (Cli.Running running = Cli.startCommand(dir, settings, null, command)) {
      return running.await(Duration.ofSeconds(300));
    }
  }
}
