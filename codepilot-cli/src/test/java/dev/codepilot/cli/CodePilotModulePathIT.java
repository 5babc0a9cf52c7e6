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
 * The command line as a named module: {@code codepilot-cli.jar} and the jars the package phase
 * copied to {@code target/lib}, all on the module path, started with {@code -m}. The module system
 * resolves the providers and GraalPy's language by service binding, and the sandbox runs a real
 * block.
 */
class CodePilotModulePathIT {

  @TempDir Path dir;

  @Test
  void theCommandRunsTheHelloExampleOnTheModulePath() throws Exception {
    Path jar = Path.of("target", "codepilot-cli.jar").toAbsolutePath();
    Path lib = Path.of("target", "lib").toAbsolutePath();
    assertThat(jar).as("built by the package phase").isRegularFile();
    assertThat(lib).as("filled by the package phase").isDirectory();
    Path agent = Cli.copyExample("hello", dir.resolve("hello"));
    String java = ProcessHandle.current().info().command().orElse("java");

    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Duser.home=" + dir.resolve("home"),
                    "-Dpolyglot.engine.WarnInterpreterOnly=false",
                    "--enable-native-access=org.graalvm.truffle",
                    // Prints how each module was resolved, so the test sees the module path was
                    // used.
                    "--show-module-resolution",
                    "--module-path",
                    jar + File.pathSeparator + lib,
                    "--module",
                    "dev.codepilot.cli/dev.codepilot.cli.Main",
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
    assertThat(output)
        .contains("root dev.codepilot.cli ")
        .containsPattern("dev\\.codepilot binds dev\\.codepilot\\.model\\.openai ")
        .containsPattern("dev\\.codepilot binds dev\\.codepilot\\.model\\.anthropic ")
        .containsPattern("dev\\.codepilot binds dev\\.codepilot\\.postgres ")
        .contains("Hello from CodePilot!")
        .contains("Done: Created hello.sh");
    assertThat(Files.readString(agent.resolve("workspace/hello.sh"))).contains("echo");
  }
}
