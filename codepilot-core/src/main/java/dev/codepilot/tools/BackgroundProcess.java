package dev.codepilot.tools;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A command started with {@code run_command(..., background=True)}, tracked by {@link
 * BackgroundProcesses}. Its standard output and error are read as they come (so it never blocks on
 * a full pipe) into a bounded buffer that keeps the head and the tail of the output. Thread-safe.
 */
public final class BackgroundProcess {

  private final String id;
  private final String command;
  private final Process process;
  private final OutputBuffer output;
  private final Instant started;
  private volatile String endedBy;

  BackgroundProcess(String id, String command, Process process, OutputBuffer output) {
    this.id = Objects.requireNonNull(id, "id");
    this.command = Objects.requireNonNull(command, "command");
    this.process = Objects.requireNonNull(process, "process");
    this.output = Objects.requireNonNull(output, "output");
    this.started = Instant.now();
  }

  /** The id the model uses, for example {@code bg1}. */
  public String id() {
    return id;
  }

  /** The command as the model wrote it. */
  public String command() {
    return command;
  }

  /** The operating system's process id of the shell running the command. */
  public long pid() {
    return process.pid();
  }

  /** True while the command's shell is running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, once it has ended. */
  public Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** Every byte of output it has produced so far, including what the buffer dropped. */
  public long outputBytes() {
    return output.totalBytes();
  }

  /** The bytes of output held in memory; bounded whatever the process prints. */
  public int retainedOutputBytes() {
    return output.retainedBytes();
  }

  /**
   * The output so far (standard output and error interleaved as they arrived), cut to about {@code
   * limit} characters keeping its head and tail.
   */
  public String output(int limit) {
    return output.text(limit);
  }

  /** Why it ended when the runtime ended it (for example "stopped"), or empty. */
  Optional<String> endedBy() {
    return Optional.ofNullable(endedBy);
  }

  /**
   * Ends the command and every process it started: asks them to terminate, then kills what is left
   * after {@code grace}. Does nothing when it has already ended.
   */
  public void stop(Duration grace) {
    stop(grace, "stopped");
  }

  void stop(Duration grace, String reason) {
    if (process.isAlive() && endedBy == null) {
      endedBy = reason;
    }
    Shell.endTree(process.toHandle(), grace);
  }

  /** A one-line status, for example {@code running (pid 4242, 3s)}. */
  String status() {
    Optional<Integer> code = exitCode();
    if (code.isEmpty()) {
      long seconds = Duration.between(started, Instant.now()).toSeconds();
      return "running (pid " + pid() + ", for " + seconds + "s)";
    }
    return endedBy()
            .map(by -> by + ", Return Code: " + code.get())
            .orElse("exited with Return Code: " + code.get())
        + " (pid "
        + pid()
        + ")";
  }
}
