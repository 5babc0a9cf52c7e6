package dev.codepilot.tools;

import dev.codepilot.config.ShellConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Starting shell commands and ending them together with every process they started. */
final class Shell {

  private static final boolean WINDOWS = File.separatorChar == '\\';

  private Shell() {}

  /** The command line that runs {@code command} through the platform's shell. */
  static List<String> commandLine(String command) {
    return WINDOWS ? List.of("cmd.exe", "/c", command) : List.of("/bin/sh", "-c", command);
  }

  /**
   * Starts {@code command} in {@code workDir} with its standard input closed and the environment
   * {@link CommandEnvironment} builds from the host's and {@code shell.env}; in the {@link
   * CommandJail} unless {@code shell.confine} is {@code never} or (with {@code auto}) bubblewrap
   * does not work here.
   *
   * @param mergeErrors true to send standard error into standard output
   * @throws IOException when the shell cannot be started, or must be confined and cannot be
   */
  static Process start(String command, Path workDir, ShellConfig shell, boolean mergeErrors)
      throws IOException {
    Map<String, String> env = CommandEnvironment.build(System.getenv(), shell.env());
    List<String> line = commandLine(command);
    Optional<PidsCgroup> cgroup = Optional.empty();
    if (CommandJail.confines(shell)) {
      line = CommandJail.commandLine(CommandJail.bwrap(), command, workDir, shell, env);
      if (CommandJail.runsAsRoot()) {
        cgroup = PidsCgroup.create(shell.limits().processes());
        line = cgroup.isPresent() ? cgroup.get().wrap(line) : line;
      }
    }
    ProcessBuilder builder =
        new ProcessBuilder(line).directory(workDir.toFile()).redirectErrorStream(mergeErrors);
    // Start from nothing: removing known names from the inherited map would miss new ones.
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      cgroup.ifPresent(PidsCgroup::remove);
      throw e;
    }
    cgroup.ifPresent(c -> c.removeAfter(process));
    process.getOutputStream().close();
    return process;
  }

  /**
   * Ends a process and all its descendants. With a grace period the processes are first asked to
   * terminate (SIGTERM on Unix) and killed only if they are still running when it is over; with
   * {@link Duration#ZERO} they are killed at once. The tree is recorded before the first signal,
   * because a child whose parent dies is re-parented and no longer shows up among the root's
   * descendants, and it is walked again in every round so a process forked meanwhile is not missed.
   * Returns when every known process has exited or a few seconds have passed.
   */
  static void endTree(ProcessHandle root, Duration grace) {
    Set<ProcessHandle> known = new LinkedHashSet<>();
    known.add(root);
    collect(known);
    if (!grace.isZero()) {
      signalAll(known, false);
      if (awaitAll(known, grace)) {
        return;
      }
    }
    for (int round = 0; round < 3; round++) {
      collect(known);
      signalAll(known, true);
      if (awaitAll(known, Duration.ofMillis(700))) {
        return;
      }
    }
  }

  private static void collect(Set<ProcessHandle> known) {
    for (ProcessHandle process : List.copyOf(known)) {
      if (process.isAlive()) {
        process.descendants().forEach(known::add);
      }
    }
  }

  /** Signals the newest processes first, so parents cannot restart children meanwhile. */
  private static void signalAll(Set<ProcessHandle> known, boolean force) {
    List<ProcessHandle> order = new ArrayList<>(known);
    Collections.reverse(order);
    for (ProcessHandle process : order) {
      if (process.isAlive()) {
        if (force) {
          process.destroyForcibly();
        } else {
          process.destroy();
        }
      }
    }
  }

  private static boolean awaitAll(Set<ProcessHandle> known, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (known.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return known.stream().noneMatch(ProcessHandle::isAlive);
      }
    }
    return true;
  }

  /** Seconds for messages: {@code 30s}, {@code 1.5s}. */
  static String seconds(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return String.valueOf(millis / 1000.0).replaceAll("0+$", "") + "s";
  }
}
