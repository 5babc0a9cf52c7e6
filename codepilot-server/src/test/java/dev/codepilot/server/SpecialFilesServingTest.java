package dev.codepilot.server;

import static dev.codepilot.server.TestServer.block;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO (and, as root, a device node) in the served agent's work_dir: every session's run still
 * starts and ends, and the server keeps answering meanwhile. The runtime never opens them, so no
 * run blocks on a FIFO or reads /dev/zero until memory runs out.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpecialFilesServingTest {

  @TempDir Path root;

  @Test
  void runsInEverySessionEndAndTheServerKeepsAnswering() throws Exception {
    try (TestServer server = TestServer.start(root)) {
      Files.createDirectories(server.workDir.resolve("sub"));
      make("mkfifo", server.workDir.resolve("pipe"));
      make("mkfifo", server.workDir.resolve("sub/pipe"));
      if ("root".equals(System.getProperty("user.name"))) {
        make("mknod", server.workDir.resolve("zero"), "c", "1", "5");
      }
      List<String> sessions = List.of("one", "two", "three", "four");
      for (String id : sessions) {
        server
            .model(id)
            .reply(
                block(
                    """
            try:
                read_file('sub/pipe')
            except PermissionError as e:
                print(e)"""),
                block("done('ok')"));
        server.run(id, "look");
      }
      for (String id : sessions) {
        JsonNode status = server.awaitIdle(id);
        assertThat(status.path("last_run").path("outcome").asText()).as(id).isEqualTo("finished");
        assertThat(server.model(id).requests().get(1).messages().toString())
            .contains("'sub/pipe' is a FIFO, not a regular file");
      }
      assertThat(server.get("/api/sessions").status()).isEqualTo(200);
    }
  }

  private static void make(String command, Path path, String... args) throws Exception {
    List<String> line = new java.util.ArrayList<>(List.of(command, path.toString()));
    line.addAll(List.of(args));
    assertThat(new ProcessBuilder(line).start().waitFor()).isZero();
  }
}
