package dev.codepilot.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MCP reference servers the tests start, installed from the committed package.json and
 * package-lock.json with {@code npm ci} the first time a test needs them (a fresh checkout has no
 * node_modules).
 */
final class NpmServers {

  static final Path DIR = Path.of("src/test/npm").toAbsolutePath().normalize();
  private static boolean installed;

  private NpmServers() {}

  static synchronized Path dir() {
    if (!installed) {
      Path marker =
          DIR.resolve("node_modules/@modelcontextprotocol/server-everything/package.json");
      if (!Files.exists(marker)) {
        install();
      }
      installed = true;
    }
    return DIR;
  }

  private static void install() {
    try {
      Path log = Files.createTempFile("codepilot-npm-ci", ".log");
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(DIR.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean done = npm.waitFor(5, TimeUnit.MINUTES);
      if (!done) {
        npm.destroyForcibly();
      }
      assertThat(done && npm.exitValue() == 0)
          .as("npm ci in %s failed:%n%s", DIR, Files.readString(log))
          .isTrue();
    } catch (IOException e) {
      throw new AssertionError(
          "npm ci could not run in "
              + DIR
              + " (node 20 and npm are"
              + " needed): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The command line of server-everything over stdio. */
  static List<String> everything() {
    return List.of(
        "node",
        dir()
            .resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js")
            .toString(),
        "stdio");
  }

  /** The command line of server-filesystem serving {@code root}. */
  static List<String> filesystem(Path root) {
    return List.of(
        "node",
        dir()
            .resolve("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js")
            .toString(),
        root.toString());
  }

  /** The command line of the test server that crashes, hangs and floods on request. */
  static List<String> misbehaving() {
    return List.of("node", dir().resolve("misbehaving-server.mjs").toString());
  }
}
