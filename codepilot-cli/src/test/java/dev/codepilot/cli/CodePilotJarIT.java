package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained {@code codepilot.jar}, run with a plain {@code java -jar} after the package
 * phase built it: GraalPy must find its language and standard library inside the merged jar.
 */
class CodePilotJarIT {

  @TempDir Path dir;

  @Test
  void javaDashJarRunsTheHelloExample() throws Exception {
    Path jar = Path.of("target", "codepilot.jar").toAbsolutePath();
    assertThat(jar).as("built by the package phase").isRegularFile();
    Path agent = Cli.copyExample("hello", dir.resolve("hello"));
    String java = ProcessHandle.current().info().command().orElse("java");

    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Duser.home=" + dir.resolve("home"),
                    "-jar",
                    jar.toString(),
                    "run",
                    agent.resolve("agent.yaml").toString(),
                    "Write a greeting script and run it"))
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(240, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("Hello from CodePilot!").contains("Done: Created hello.sh");
    assertThat(Files.readString(agent.resolve("workspace/hello.sh"))).contains("echo");
  }
}
