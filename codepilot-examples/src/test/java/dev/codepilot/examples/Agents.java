package dev.codepilot.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test helpers: a private copy of a bundled agent, and a captured output stream. */
final class Agents {

  private Agents() {}

  /**
   * Copies {@code agents/<name>} (without a workspace left by a manual run) into {@code tempDir}
   * and returns the copy's {@code agent.yaml}, so that a test writes only there.
   */
  static Path copy(String name, Path tempDir) {
    Path source = Path.of("agents", name);
    Path target = tempDir.resolve(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(p -> !p.startsWith(source.resolve("workspace"))).toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target.resolve("agent.yaml");
  }

  /** What an example printed. */
  static final class Output {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    PrintStream stream() {
      return stream;
    }

    String text() {
      stream.flush();
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
