package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FIFOs, sockets and devices in the workspace: the runtime never opens them, so nothing blocks (a
 * FIFO) or reads forever (/dev/zero). The workspace picture in the system prompt names them,
 * read_file and write_file refuse them with a PermissionError saying what they are, and reads of
 * regular files stop at a limit even when the file is huge or keeps growing. Each test has a
 * timeout run on a separate thread, since a blocked open cannot be interrupted.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpecialFilesTest {

  @TempDir Path temp;

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Runs each call in its own try and prints the exception type and message. */
  private static String attempts(Agent agent, String... calls) {
    StringBuilder code = new StringBuilder();
    for (String call : calls) {
      code.append("try:\n    print(")
          .append(call)
          .append(")\nexcept Exception as e:\n")
          .append("    print(type(e).__name__ + ':', e)\n");
    }
    String[] payloads =
        java.util.Arrays.stream(calls)
            .filter(c -> c.startsWith("write_file"))
            .map(c -> "planted\n")
            .toArray(String[]::new);
    return agent.step(code.toString(), payloads);
  }

  @Test
  void fifosAreNamedInThePromptAndRefusedByTheFileTools() throws Exception {
    Path ws = Files.createDirectories(temp.resolve("ws"));
    Files.createDirectories(ws.resolve("sub/deeper"));
    run("mkfifo", ws.resolve("pipe").toString());
    run("mkfifo", ws.resolve("sub/deeper/pipe").toString());
    Files.createSymbolicLink(ws.resolve("pipe-link"), Path.of("sub/deeper/pipe"));
    Files.writeString(ws.resolve("notes.txt"), "a\nb\n");

    try (Agent agent = Agent.in(ws)) {
      String result =
          attempts(
              agent,
              "read_file('pipe')",
              "read_file('sub/deeper/pipe')",
              "read_file('pipe-link')",
              "write_file('pipe')",
              "write_file('sub/deeper/pipe', mode='a')",
              "write_file('pipe-link', start_line=1, mode='edit')",
              "read_file('notes.txt')");

      assertThat(result.lines().toList())
          .startsWith(
              "PermissionError: 'pipe' is a FIFO, not a regular file; read_file reads regular files"
                  + " only",
              "PermissionError: 'sub/deeper/pipe' is a FIFO, not a regular file; read_file reads"
                  + " regular files only",
              "PermissionError: 'sub/deeper/pipe' is a FIFO, not a regular file; read_file reads"
                  + " regular files only",
              "PermissionError: 'pipe' is a FIFO, not a regular file; write_file writes regular files"
                  + " only",
              "PermissionError: 'sub/deeper/pipe' is a FIFO, not a regular file; write_file writes"
                  + " regular files only",
              "PermissionError: 'sub/deeper/pipe' is a FIFO, not a regular file; write_file writes"
                  + " regular files only",
              "'notes.txt' (lines 1–2 of 2)");
      String prompt = agent.model.lastRequest().systemPrompt();
      assertThat(prompt)
          .contains(
              "\"pipe\":\"FIFO, not read\"",
              "\"notes.txt\":2",
              "\"sub\":{\"deeper\":{\"pipe\":\"FIFO, not read\"}}");
    }
  }

  @Test
  void aSocketFileIsRefusedAndNamed() throws Exception {
    Path ws = Files.createDirectories(temp.resolve("ws"));
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(ws.resolve("sock")));
      try (Agent agent = Agent.in(ws)) {
        String result = attempts(agent, "read_file('sock')", "write_file('sock')");

        assertThat(result)
            .isEqualTo(
                """
            PermissionError: 'sock' is a socket, not a regular file; read_file reads regular \
            files only
            PermissionError: 'sock' is a socket, not a regular file; write_file writes regular \
            files only""");
        assertThat(agent.model.lastRequest().systemPrompt())
            .contains("\"sock\":\"socket, not read\"");
      }
    }
  }

  @Test
  void aDeviceNodeIsNeverRead() throws Exception {
    assumeTrue(isRoot(), "mknod needs root");
    Path ws = Files.createDirectories(temp.resolve("ws"));
    Files.createDirectories(ws.resolve("sub"));
    run("mknod", ws.resolve("zero").toString(), "c", "1", "5");
    run("mknod", ws.resolve("sub/zero").toString(), "c", "1", "5");

    try (Agent agent = Agent.in(ws)) {
      String result =
          attempts(agent, "read_file('zero')", "read_file('sub/zero')", "write_file('zero')");

      assertThat(result)
          .isEqualTo(
              """
          PermissionError: 'zero' is a character device, not a regular file; read_file reads \
          regular files only
          PermissionError: 'sub/zero' is a character device, not a regular file; read_file \
          reads regular files only
          PermissionError: 'zero' is a character device, not a regular file; write_file writes \
          regular files only""");
      assertThat(agent.model.lastRequest().systemPrompt())
          .contains("\"zero\":\"character device, not read\"");
    }
  }

  @Test
  void aLinkToADeviceOutsideIsOutsideAndInUnsafeModeStillNotRead() throws Exception {
    Path ws = Files.createDirectories(temp.resolve("ws"));
    Files.createSymbolicLink(ws.resolve("zero"), Path.of("/dev/zero"));

    try (Agent agent = Agent.in(ws)) {
      assertThat(attempts(agent, "read_file('zero')"))
          .isEqualTo("PermissionError: Access denied: 'zero' is outside the workspace");
    }
    try (Agent agent = Agent.in(ws, Agent::unsafe)) {
      assertThat(attempts(agent, "read_file('zero')", "write_file('zero')"))
          .isEqualTo(
              """
          PermissionError: '/dev/zero' is a character device, not a regular file; read_file \
          reads regular files only
          PermissionError: '/dev/zero' is a character device, not a regular file; write_file \
          writes regular files only""");
    }
  }

  @Test
  void aHugeSparseFileIsReadOnlyUpToTheLimit() throws Exception {
    Path ws = Files.createDirectories(temp.resolve("ws"));
    Path big = ws.resolve("big.txt");
    Files.writeString(big, "first line\n".repeat(1000));
    try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
      file.setLength(64L * 1024 * 1024 * 1024);
    }

    try (Agent agent = Agent.in(ws)) {
      String result = attempts(agent, "read_file('big.txt', end_line=2)");

      assertThat(result)
          .startsWith(
              "'big.txt' (lines 1–2 of 1001+; the file is longer,"
                  + " read_file reads its first 64 MiB only: use run_command for the rest)");
      assertThat(agent.model.lastRequest().systemPrompt())
          .contains("\"big.txt\":\"68719476736 bytes\"");
    }
  }

  @Test
  void aFileThatKeepsGrowingIsReadUpToTheLimit() throws Exception {
    Path ws = Files.createDirectories(temp.resolve("ws"));
    Path growing = ws.resolve("growing.log");
    Files.writeString(growing, "start\n");
    AtomicBoolean stop = new AtomicBoolean();
    byte[] chunk = "more text\n".repeat(100_000).getBytes(StandardCharsets.UTF_8);
    Thread writer =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (var out = Files.newOutputStream(growing, StandardOpenOption.APPEND)) {
                    long written = 0;
                    while (!stop.get() && written < 512L * 1024 * 1024) {
                      out.write(chunk);
                      written += chunk.length;
                    }
                  } catch (Exception e) {
                    // The test ended and removed the folder.
                  }
                });
    try (Agent agent = Agent.in(ws)) {
      String result = attempts(agent, "read_file('growing.log', end_line=1)");

      assertThat(result).startsWith("'growing.log' (lines 1–1 of ");
    } finally {
      stop.set(true);
      writer.join();
    }
  }
}
