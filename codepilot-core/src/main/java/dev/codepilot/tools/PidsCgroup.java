package dev.codepilot.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A pids cgroup that bounds how many processes one confined command may have at once.
 *
 * <p>Only needed when the runtime runs as root: the kernel does not apply {@code RLIMIT_NPROC} to
 * uid 0, even inside a user namespace (the jail maps the sandbox's user to the invoking one so that
 * files keep their owner), so a fork bomb would be bounded by nothing else. Root can usually create
 * a child of its own cgroup in a pids hierarchy (cgroup v1, or v2 with the pids controller enabled
 * for children); where it cannot, the jail still works, without a process bound, and {@link
 * CommandJail#status()} says so.
 */
final class PidsCgroup {

  private static final AtomicLong NEXT = new AtomicLong();
  private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();
  private static final Pattern OURS = Pattern.compile("codepilot-(\\d+)-\\d+");
  private static final Duration REMOVE_WITHIN = Duration.ofSeconds(10);

  private final Path dir;

  private PidsCgroup(Path dir) {
    this.dir = dir;
  }

  /**
   * A new cgroup below the runtime's own, at most {@code max} tasks (processes and threads); empty
   * when there is no pids hierarchy this process may write to.
   */
  static Optional<PidsCgroup> create(int max) {
    for (Path parent : candidates()) {
      if (SWEPT.add(parent)) {
        removeLeftovers(parent);
      }
      Path dir =
          parent.resolve(
              "codepilot-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet());
      try {
        Files.createDirectory(dir);
      } catch (IOException | SecurityException e) {
        continue;
      }
      try {
        Files.writeString(dir.resolve("pids.max"), Integer.toString(max), StandardCharsets.UTF_8);
        return Optional.of(new PidsCgroup(dir));
      } catch (IOException | SecurityException e) {
        deleteQuietly(dir);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code command} run so that its first process joins this cgroup before it starts anything: a
   * shell writes its own pid into {@code cgroup.procs}, then becomes the command.
   */
  List<String> wrap(List<String> command) {
    List<String> wrapped =
        new ArrayList<>(
            List.of(
                "/bin/sh",
                "-c",
                "echo $$ > \"$0\" && exec \"$@\"",
                dir.resolve("cgroup.procs").toString()));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Removes the cgroup once {@code process} and every task left in the cgroup have ended. */
  void removeAfter(Process process) {
    process
        .onExit()
        .thenRun(
            () -> Thread.ofVirtual().name("codepilot-cgroup-cleanup").start(this::removeWhenEmpty));
  }

  /** Removes it now; for a command that could not be started. */
  void remove() {
    deleteQuietly(dir);
  }

  private void removeWhenEmpty() {
    long deadline = System.nanoTime() + REMOVE_WITHIN.toNanos();
    while (Files.exists(dir)) {
      deleteQuietly(dir);
      if (System.nanoTime() - deadline > 0) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Removes the cgroups of runtimes that have ended: a JVM that exits right after its last command
   * may not get to remove that command's cgroup, and a process still in one (a bubblewrap that lost
   * its sandbox while starting) belongs to no runtime any more, so it is killed first.
   */
  private static void removeLeftovers(Path parent) {
    try (Stream<Path> children = Files.list(parent)) {
      children.forEach(
          child -> {
            Matcher name = OURS.matcher(child.getFileName().toString());
            if (name.matches()
                && ProcessHandle.of(Long.parseLong(name.group(1)))
                    .map(ProcessHandle::isAlive)
                    .orElse(false)
                    .equals(Boolean.FALSE)) {
              killMembers(child);
              deleteQuietly(child);
            }
          });
    } catch (IOException | RuntimeException e) {
      // Leftovers are empty and harmless; they are tried again by the next runtime.
    }
  }

  private static void killMembers(Path cgroup) {
    try {
      for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      Thread.sleep(100);
    } catch (IOException | RuntimeException e) {
      // Nothing readable there: nothing to kill.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The runtime's own cgroup in each pids hierarchy mounted here. */
  private static List<Path> candidates() {
    List<Path> found = new ArrayList<>();
    List<String> mounts;
    List<String> memberships;
    try {
      mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
      memberships = Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8);
    } catch (IOException | SecurityException e) {
      return found;
    }
    for (String mount : mounts) {
      // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
      String[] sides = mount.split(" - ", 2);
      if (sides.length < 2) {
        continue;
      }
      String[] fields = sides[0].split(" ");
      String[] fs = sides[1].split(" ");
      if (fields.length < 5 || fs.length < 3) {
        continue;
      }
      String root = unescape(fields[3]);
      Path mountPoint = Path.of(unescape(fields[4]));
      boolean v1 = fs[0].equals("cgroup") && List.of(fs[2].split(",")).contains("pids");
      boolean v2 = fs[0].equals("cgroup2");
      if (!v1 && !v2) {
        continue;
      }
      for (String membership : memberships) {
        String[] parts = membership.split(":", 3);
        if (parts.length < 3) {
          continue;
        }
        boolean matches =
            v1
                ? List.of(parts[1].split(",")).contains("pids")
                : parts[0].equals("0") && parts[1].isEmpty();
        if (!matches) {
          continue;
        }
        String path = parts[2];
        if (!root.equals("/") && path.startsWith(root)) {
          path = path.substring(root.length());
        }
        Path own = mountPoint.resolve(path.replaceFirst("^/+", "")).normalize();
        if (v1 || controllerEnabled(own)) {
          found.add(own);
        }
      }
    }
    return found;
  }

  /** On cgroup v2 a child has pids.max only when the parent enables pids for its children. */
  private static boolean controllerEnabled(Path cgroup) {
    try {
      String enabled = Files.readString(cgroup.resolve("cgroup.subtree_control"));
      return List.of(enabled.strip().split("\\s+")).contains("pids");
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  private static String unescape(String field) {
    return field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\");
  }

  private static void deleteQuietly(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException | SecurityException e) {
      // Still in use, or gone: either way there is nothing more to do now.
    }
  }
}
