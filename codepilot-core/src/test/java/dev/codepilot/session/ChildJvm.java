package dev.codepilot.session;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link SessionChild} running in its own JVM, with its stdout read line by line. */
final class ChildJvm implements AutoCloseable {

  private static final String EOF = "\u0000EOF";

  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.reader = Thread.ofVirtual().start(this::readStdout);
  }

  /** Starts {@code SessionChild args...}, wrapped in {@code sh -c 'ulimit -f N'} when given. */
  static ChildJvm start(Path scratch, Integer fileSizeLimitBlocks, String... args)
      throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("cannot find this JVM's java command"));
    List<String> command = new ArrayList<>();
    if (fileSizeLimitBlocks != null) {
      command.addAll(List.of("/bin/sh", "-c", "ulimit -f " + fileSizeLimitBlocks
          + " && exec \"$@\"", "sh"));
    }
    command.addAll(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
        SessionChild.class.getName()));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile(scratch, "child", ".err");
    Process process = new ProcessBuilder(command)
        .redirectError(stderr.toFile())
        .start();
    return new ChildJvm(process, stderr);
  }

  Process process() {
    return process;
  }

  /** Waits for the next line that starts with {@code prefix}, skipping others. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = pending.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null || line.equals(EOF)) {
        fail("child did not print '%s' (%s); its output: %s; its stderr: %s", prefix,
            line == null ? "timed out" : "it exited", seen, stderrText());
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  void send(String line) throws IOException {
    Writer stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** Kills the child with SIGKILL (no shutdown hooks) and waits until its output is read. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    reader.join(Duration.ofSeconds(10));
  }

  /** Every line the child printed so far. */
  List<String> output() {
    return List.copyOf(seen);
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

  private void readStdout() {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        seen.add(line);
        pending.add(line);
      }
    } catch (IOException e) {
      // The child died mid-line; what was read is kept.
    } finally {
      pending.add(EOF);
    }
  }
}
