package dev.codepilot.session;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SessionChild} running in its own JVM. Its stdout goes to a file rather than a pipe, so
 * that every line it wrote before being killed can still be read afterwards.
 */
final class ChildJvm implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(5);

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private int consumed;

  private ChildJvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code SessionChild args...}, wrapped in {@code sh -c 'ulimit -f N'} when given. */
  static ChildJvm start(Path scratch, Integer fileSizeLimitBlocks, String... args)
      throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new IllegalStateException("cannot find this JVM's java command"));
    List<String> command = new ArrayList<>();
    if (fileSizeLimitBlocks != null) {
      command.addAll(
          List.of("/bin/sh", "-c", "ulimit -f " + fileSizeLimitBlocks + " && exec \"$@\"", "sh"));
    }
    command.addAll(
        List.of(
            java,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData",
            "-cp",
            System.getProperty("java.class.path"),
            SessionChild.class.getName()));
    command.addAll(List.of(args));
    Path stdout = Files.createTempFile(scratch, "child", ".out");
    Path stderr = Files.createTempFile(scratch, "child", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    return new ChildJvm(process, stdout, stderr);
  }

  Process process() {
    return process;
  }

  /** Waits for the next line that starts with {@code prefix}, skipping others. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean exited = !process.isAlive();
      List<String> lines = output();
      while (consumed < lines.size()) {
        String line = lines.get(consumed++);
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      if (exited || System.nanoTime() > deadline) {
        fail(
            "child did not print '%s' (%s); its output: %s; its stderr: %s",
            prefix, exited ? "it exited" : "timed out", lines, stderrText());
      }
      Thread.sleep(POLL);
    }
  }

  void send(String line) throws IOException {
    Writer stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** Kills the child with SIGKILL (no shutdown hooks) and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Every complete line the child printed so far; a line cut off by a kill is left out. */
  List<String> output() {
    String text;
    try {
      text = Files.readString(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
  }

  String stderrText() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
