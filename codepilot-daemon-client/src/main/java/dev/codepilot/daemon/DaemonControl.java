package dev.codepilot.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code codepilot daemon status} and {@code codepilot daemon stop}: the user's daemons. */
public final class DaemonControl {

  /** What a daemon says about itself. */
  public record Status(Path folder, Map<String, String> fields) {
    String field(String name) {
      return fields.getOrDefault(name, "?");
    }

    /** Milliseconds since its last command ended; -1 while it runs one. */
    long idleMillis() {
      try {
        return Long.parseLong(fields.getOrDefault("idle_ms", "-1"));
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    boolean busy() {
      return "busy".equals(fields.get("state"));
    }
  }

  private DaemonControl() {}

  /** Runs {@code daemon status|stop}; returns the exit code. */
  public static int run(
      List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    String action = args.isEmpty() ? "--help" : args.get(0);
    try {
      Path base = DaemonFolders.base(env);
      switch (action) {
        case "status":
          return status(base, out);
        case "stop":
          return stop(base, out);
        case "-h", "--help", "help":
          out.println("Usage: codepilot daemon status|stop");
          out.println("The warm background hosts of the codepilot command.");
          out.println("  status  List your daemons: pid, build, directory, state, idle time.");
          out.println("  stop    Stop them all (a busy one after its command).");
          out.println("Folder: " + base + " (each daemon's log is daemon.log in its folder).");
          out.println("Turn the daemon off with --no-daemon or CODEPILOT_DAEMON=off.");
          return 0;
        default:
          err.println("codepilot: unknown daemon action '" + action + "': use status or stop");
          return 2;
      }
    } catch (IOException e) {
      err.println("codepilot: " + e.getMessage());
      return 1;
    }
  }

  private static int status(Path base, PrintStream out) throws IOException {
    List<Status> daemons = statuses(base);
    if (daemons.isEmpty()) {
      out.println("No daemon is running (folder " + base + ").");
      return 0;
    }
    out.printf("%-8s %-6s %-8s %-22s %s%n", "PID", "STATE", "IDLE", "BUILD", "DIRECTORY");
    for (Status daemon : daemons) {
      long idle = daemon.idleMillis();
      out.printf(
          "%-8s %-6s %-8s %-22s %s%n",
          daemon.field("pid"),
          daemon.field("state"),
          idle < 0 ? "-" : duration(idle),
          daemon.field("build"),
          daemon.field("dir"));
      out.println("         log: " + DaemonFolders.log(daemon.folder()));
    }
    return 0;
  }

  private static int stop(Path base, PrintStream out) throws IOException {
    int stopped = 0;
    for (Path folder : DaemonFolders.all(base)) {
      Optional<String> reply = ask(folder, Connection.STOP);
      if (reply.isPresent()) {
        out.println("Daemon " + folder.getFileName() + ": " + reply.get());
        stopped++;
      }
    }
    if (stopped == 0) {
      out.println("No daemon is running.");
    }
    return 0;
  }

  /**
   * The status of every live daemon in {@code base}; the socket of a dead one is removed on the
   * way.
   */
  public static List<Status> statuses(Path base) throws IOException {
    List<Status> found = new ArrayList<>();
    for (Path folder : DaemonFolders.all(base)) {
      Optional<String> reply = ask(folder, Connection.STATUS);
      if (reply.isEmpty()) {
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      reply
          .get()
          .lines()
          .forEach(
              line -> {
                int equals = line.indexOf('=');
                if (equals > 0) {
                  fields.put(line.substring(0, equals), line.substring(equals + 1));
                }
              });
      found.add(new Status(folder, fields));
    }
    return found;
  }

  /**
   * Sends a one-frame request and returns the reply; empty when no daemon answers, in which case
   * its socket is stale and removed (the folder, with the dead daemon's log, stays).
   */
  static Optional<String> ask(Path folder, byte request) {
    Path socket = DaemonFolders.socket(folder);
    Optional<Connection> opened = Connection.open(socket);
    if (opened.isEmpty()) {
      removeStale(socket);
      return Optional.empty();
    }
    try (Connection connection = opened.get()) {
      connection.write(request, new byte[0]);
      return connection
          .read()
          .filter(frame -> frame.type() == Connection.REPLY)
          .map(Connection.Frame::text);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Removes the socket of a daemon that no longer listens. */
  static void removeStale(Path socket) {
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      // Whoever cannot remove it cannot use it either; the next daemon's bind replaces it.
    }
  }

  static String duration(long millis) {
    long seconds = millis / 1000;
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m" + (seconds % 60 > 0 ? seconds % 60 + "s" : "");
    }
    return seconds / 3600 + "h" + (seconds % 3600 / 60 > 0 ? seconds % 3600 / 60 + "m" : "");
  }
}
