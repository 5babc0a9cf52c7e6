package dev.codepilot.tools;

import dev.codepilot.config.ShellConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The processes one runtime's {@code run_command} started: background commands by id ({@code bg1},
 * {@code bg2}, ...) and the foreground command in progress, if any.
 *
 * <p>{@link #stopAll()} (called by the runtime's {@code reset()}) and {@link #close()} (called by
 * its {@code close()}) end every one of them together with the processes they started, so nothing
 * the agent launched outlives its runtime. Thread-safe.
 */
public final class BackgroundProcesses implements AutoCloseable {

  /** How many background commands may run at once. */
  static final int MAX_RUNNING = 16;

  /** How many ended ones are kept for reading their output. */
  private static final int MAX_ENDED = 32;

  private static final int HEAD_BYTES = 16 * 1024;
  private static final int TAIL_BYTES = 64 * 1024;
  private static final Duration STOP_GRACE = Duration.ofSeconds(2);

  private final Map<String, BackgroundProcess> processes = new LinkedHashMap<>();
  private final Set<Process> foreground = ConcurrentHashMap.newKeySet();
  private int nextId = 1;
  private boolean closed;

  /** An empty set: nothing started yet. */
  public BackgroundProcesses() {}

  /**
   * Starts {@code command} in the background through the platform's shell, in {@code workDir}, as
   * {@code shell} says, with standard input closed and standard error merged into standard output;
   * when {@code lifetime} is present the command is stopped after that long.
   *
   * @throws IOException when the shell cannot be started
   * @throws IllegalStateException when closed, or when too many commands are running
   */
  BackgroundProcess start(
      String command, Path workDir, ShellConfig shell, Optional<Duration> lifetime)
      throws IOException {
    Objects.requireNonNull(command, "command");
    String id;
    synchronized (this) {
      ensureOpen();
      long running = processes.values().stream().filter(BackgroundProcess::isAlive).count();
      if (running >= MAX_RUNNING) {
        throw new IllegalStateException(
            running
                + " background commands are running already;"
                + " stop one with stop_command(id) first");
      }
      id = "bg" + nextId++;
    }
    Process process = Shell.start(command, workDir, shell, true);
    OutputBuffer buffer = new OutputBuffer(HEAD_BYTES, TAIL_BYTES);
    BackgroundProcess started = new BackgroundProcess(id, command, process, buffer);
    Thread.ofPlatform()
        .daemon()
        .name("codepilot-" + id + "-output")
        .start(() -> buffer.drain(process.getInputStream()));
    lifetime.ifPresent(
        limit ->
            Thread.ofVirtual()
                .name("codepilot-" + id + "-timeout")
                .start(() -> stopAfter(started, process, limit)));
    synchronized (this) {
      if (closed) {
        started.stop(Duration.ZERO, "stopped");
        throw new IllegalStateException("the runtime was closed");
      }
      processes.put(id, started);
      forgetOldEnded();
    }
    return started;
  }

  /** The background command with this id. */
  public synchronized Optional<BackgroundProcess> get(String id) {
    return Optional.ofNullable(processes.get(id));
  }

  /** Every background command still tracked (running or recently ended), oldest first. */
  public synchronized List<BackgroundProcess> list() {
    return List.copyOf(processes.values());
  }

  /**
   * Stops one background command and the processes it started; it stays listed so its final output
   * can be read. Returns empty when there is no command with this id.
   */
  public Optional<BackgroundProcess> stop(String id) {
    Optional<BackgroundProcess> process = get(id);
    process.ifPresent(p -> p.stop(STOP_GRACE));
    return process;
  }

  /** Ends every background command and the foreground command in progress, and forgets them. */
  public void stopAll() {
    List<BackgroundProcess> all;
    synchronized (this) {
      all = new ArrayList<>(processes.values());
      processes.clear();
    }
    for (Process process : List.copyOf(foreground)) {
      Shell.endTree(process.toHandle(), Duration.ZERO);
    }
    all.parallelStream().forEach(p -> p.stop(STOP_GRACE, "stopped"));
  }

  /** Ends every process as {@link #stopAll()} does and refuses new ones. Safe to call twice. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    stopAll();
  }

  /** Tracks a foreground command so that closing the runtime ends it too. */
  void trackForeground(Process process) {
    synchronized (this) {
      if (closed) {
        Shell.endTree(process.toHandle(), Duration.ZERO);
        throw new IllegalStateException("the runtime was closed");
      }
    }
    foreground.add(process);
  }

  void untrackForeground(Process process) {
    foreground.remove(process);
  }

  private static void stopAfter(BackgroundProcess started, Process process, Duration limit) {
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        started.stop(STOP_GRACE, "stopped after its timeout of " + Shell.seconds(limit));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forgetOldEnded() {
    long ended = processes.values().stream().filter(p -> !p.isAlive()).count();
    Iterator<BackgroundProcess> it = processes.values().iterator();
    while (ended > MAX_ENDED && it.hasNext()) {
      if (!it.next().isAlive()) {
        it.remove();
        ended--;
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the runtime was closed");
    }
  }
}
