package dev.codepilot.tools;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Processes as the host sees them, found by a marker argument. A confined command has its own PID
 * namespace, so the pids it prints ({@code $$}, {@code $!}) are not the host's; its processes are
 * found by an argument no other process has instead.
 */
final class HostProcesses {

  private HostProcesses() {}

  /** A {@code sleep} duration in seconds (over 1000) that marks one test's processes. */
  static String marker() {
    return "1"
        + ThreadLocalRandom.current().nextInt(100, 999)
        + "."
        + ThreadLocalRandom.current().nextInt(100_000, 999_999);
  }

  /** The live processes that have {@code argument} as one of their arguments. */
  static List<ProcessHandle> withArgument(String argument) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).contains(argument))
        .toList();
  }

  /** Whether any process has {@code argument} as one of its arguments. */
  static boolean anyWith(String argument) {
    return !withArgument(argument).isEmpty();
  }
}
