package dev.codepilot.daemon;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import sun.misc.Signal;

/**
 * The thin front of the {@code codepilot} command: finds (or starts) a warm daemon for this build,
 * JVM, directory and environment, hands it the command, and relays its standard streams, Ctrl-C and
 * exit code; at a terminal, the terminal too (see {@link Tty}): keystrokes as typed, and each new
 * window size. Has no dependencies, so that this JVM starts in a few tens of milliseconds. When no
 * daemon can serve, the command runs in a child JVM as it would without the daemon.
 *
 * <pre>
 * java -cp codepilot-daemon-client.jar dev.codepilot.daemon.DaemonClient \
 *     [--ttys 0|1 0|1 0|1] --java JAVA --java OPTION... --java -cp --java CLASS_PATH -- ARGS...
 * </pre>
 *
 * <p>{@code --java} gives, one word at a time, the command line of the JVM that runs the CLI (up to
 * its main class) for the daemon, and {@code --in-process} the one to use when no daemon serves (by
 * default the same); {@code --ttys} says which of standard input, output and error are a terminal
 * (the launcher asks the shell, which knows without a JVM).
 */
public final class DaemonClient {

  /** Runs the command line in-process. */
  static final String MAIN = "dev.codepilot.cli.Main";

  /** Runs a daemon: its folder and key are its arguments. */
  static final String DAEMON = "dev.codepilot.cli.Daemon";

  /** The commands that run agents: those start a daemon when there is none. */
  private static final Set<String> AGENT_COMMANDS = Set.of("run", "chat", "eval");

  /** How long a new daemon may take to listen; it starts like the command line would. */
  private static final long START_MILLIS = 120_000;

  private final List<String> java;
  private final List<String> inProcessJava;
  private final String ttys;
  private final List<String> args;
  private final Map<String, String> env = System.getenv();
  private final PrintStream err =
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

  private DaemonClient(
      List<String> java, List<String> inProcessJava, String ttys, List<String> args) {
    this.java = java;
    this.inProcessJava = inProcessJava.isEmpty() ? java : inProcessJava;
    this.ttys = ttys;
    this.args = args;
  }

  public static void main(String[] argv) {
    List<String> java = new ArrayList<>();
    List<String> inProcess = new ArrayList<>();
    String ttys = "000";
    int i = 0;
    for (; i < argv.length && !argv[i].equals("--"); i++) {
      switch (argv[i]) {
        case "--java" -> java.add(argv[++i]);
        case "--in-process" -> inProcess.add(argv[++i]);
        case "--ttys" -> ttys = argv[++i] + argv[++i] + argv[++i];
        default -> {
          System.err.println("codepilot: the daemon client does not know '" + argv[i] + "'");
          System.exit(2);
        }
      }
    }
    List<String> args = List.of(argv).subList(Math.min(i + 1, argv.length), argv.length);
    if (!args.isEmpty() && args.get(0).equals("daemon")) {
      PrintStream out =
          new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
      System.exit(
          DaemonControl.run(args.subList(1, args.size()), System.getenv(), out, System.err));
    }
    if (java.isEmpty()) {
      System.err.println("codepilot: the daemon client needs --java: the CLI's JVM command line");
      System.exit(2);
    }
    System.exit(new DaemonClient(List.copyOf(java), List.copyOf(inProcess), ttys, args).run());
  }

  private int run() {
    Path base;
    try {
      base = DaemonFolders.prepare(DaemonFolders.base(env));
    } catch (IOException e) {
      err.println("codepilot: not using the daemon: " + e.getMessage() + "; running in-process");
      return inProcess();
    }
    String key = DaemonFolders.key(build(), java, Path.of("").toAbsolutePath(), env);
    boolean startsDaemons = !args.isEmpty() && AGENT_COMMANDS.contains(args.get(0));
    // First any running daemon that is free, then a new one in a free slot.
    for (int slot = 0; slot < DaemonFolders.MAX_DAEMONS; slot++) {
      Optional<Integer> code = tryRun(DaemonFolders.daemon(base, key, slot), key);
      if (code.isPresent()) {
        return code.get();
      }
    }
    if (startsDaemons) {
      for (int slot = 0; slot < DaemonFolders.MAX_DAEMONS; slot++) {
        Path folder = DaemonFolders.daemon(base, key, slot);
        if (!Files.exists(DaemonFolders.socket(folder))) {
          Optional<Integer> code = startAndRun(base, folder, key);
          if (code.isPresent()) {
            return code.get();
          }
        }
      }
    }
    return inProcess();
  }

  /**
   * Runs the command on the daemon in {@code folder}; empty when there is none there (a stale
   * socket is removed) or it is busy.
   */
  private Optional<Integer> tryRun(Path folder, String key) {
    Path socket = DaemonFolders.socket(folder);
    if (!Files.exists(socket)) {
      return Optional.empty();
    }
    Optional<Connection> opened = Connection.open(socket);
    if (opened.isEmpty()) {
      // A daemon's socket appears only once it listens (see Daemon): this one's daemon is dead.
      DaemonControl.removeStale(socket);
      return Optional.empty();
    }
    try (Connection connection = opened.get()) {
      return relay(connection, key);
    } catch (IOException e) {
      err.println(
          "codepilot: lost the daemon ("
              + e.getMessage()
              + "); its log: "
              + DaemonFolders.log(folder));
      return Optional.of(1);
    }
  }

  /**
   * Starts a daemon in {@code folder} and runs the command on it; empty when another client took
   * that daemon first.
   */
  private Optional<Integer> startAndRun(Path base, Path folder, String key) {
    try {
      Files.createDirectories(
          folder,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      // One client starts the daemon of a slot, holding the lock only until it listens; another
      // waits, then finds it (and takes it if it is still free).
      try (FileChannel lockFile =
              FileChannel.open(
                  folder.resolve("start.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = lockFile.lock()) {
        if (!Files.exists(DaemonFolders.socket(folder))) {
          if (!makeRoom(base)) {
            return Optional.of(inProcess());
          }
          Optional<String> failure = start(folder, key);
          if (failure.isPresent()) {
            err.println(
                "codepilot: "
                    + failure.get()
                    + "; running in-process. Its log: "
                    + DaemonFolders.log(folder));
            return Optional.of(inProcess());
          }
        }
      }
      return tryRun(folder, key);
    } catch (IOException e) {
      err.println(
          "codepilot: cannot start the daemon (" + e.getMessage() + "); running in-process");
      return Optional.of(inProcess());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(1);
    }
  }

  /** Keeps the user's daemons under the limit: asks the longest idle one to stop. */
  private boolean makeRoom(Path base) throws IOException {
    List<DaemonControl.Status> live = DaemonControl.statuses(base);
    if (live.size() < DaemonFolders.MAX_DAEMONS) {
      return true;
    }
    Optional<DaemonControl.Status> oldest =
        live.stream()
            .filter(status -> !status.busy())
            .max(Comparator.comparingLong(DaemonControl.Status::idleMillis));
    if (oldest.isEmpty()) {
      return false;
    }
    DaemonControl.ask(oldest.get().folder(), Connection.STOP);
    return true;
  }

  /**
   * Starts a daemon in its own session, its standard streams on /dev/null and its log, so that it
   * holds none of the caller's terminal or pipes, and waits until it listens. Empty when it does;
   * otherwise what went wrong.
   */
  private Optional<String> start(Path folder, String key) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
      if (Files.isExecutable(Path.of(setsid))) {
        // -w: when setsid has to fork, it waits, so the process started here lives as long as
        // the daemon and a daemon that fails to start is seen at once.
        command.add(setsid);
        command.add("-w");
        break;
      }
    }
    command.addAll(java);
    command.add(DAEMON);
    command.add(folder.toString());
    command.add(key);
    Path log = DaemonFolders.log(folder);
    Process daemon =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectErrorStream(true)
            .start();
    long deadline = System.currentTimeMillis() + START_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      // The socket appears once the daemon listens (see Daemon).
      if (Files.exists(DaemonFolders.socket(folder))) {
        return Optional.empty();
      }
      if (!daemon.isAlive()) {
        return Optional.of("the daemon did not start (exit " + daemon.exitValue() + ")");
      }
      Thread.sleep(10);
    }
    return Optional.of("the daemon did not listen within " + START_MILLIS / 1000 + " s");
  }

  /**
   * Sends the command and relays until its exit code; empty when the daemon is busy or serves
   * another key.
   */
  private Optional<Integer> relay(Connection connection, String key) throws IOException {
    String term = env.getOrDefault("TERM", "");
    int width = parse(env.get("COLUMNS"));
    int height = parse(env.get("LINES"));
    Tty tty = null;
    if (Connection.Request.relaysTerminal(ttys, term)) {
      // An interactive command: the daemon's terminal gets the keystrokes as typed.
      tty = Tty.enter().orElse(null);
      if (tty == null) {
        return Optional.of(inProcess());
      }
      int[] size = tty.initialSize();
      width = size[0];
      height = size[1];
    }
    try {
      connection.write(
          Connection.RUN,
          new Connection.Request(
                  Connection.PROTOCOL,
                  key,
                  Path.of("").toAbsolutePath().toString(),
                  ttys,
                  width,
                  height,
                  term,
                  args)
              .encode());
      // Ctrl-C from now on reaches the command (a busy daemon ignores it and closes).
      forwardInterrupts(connection);
      if (tty != null) {
        keystrokes = true;
        pumpInput(connection);
        forwardResizes(connection);
      }
      return relayOutput(connection);
    } finally {
      if (tty != null) {
        tty.close();
      }
    }
  }

  private Optional<Integer> relayOutput(Connection connection) throws IOException {
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    OutputStream errOut = new FileOutputStream(FileDescriptor.err);
    boolean started = false;
    while (true) {
      Optional<Connection.Frame> next = connection.read();
      if (next.isEmpty()) {
        if (!started) {
          return Optional.empty();
        }
        err.println("codepilot: the daemon ended before the command did");
        return Optional.of(1);
      }
      Connection.Frame frame = next.get();
      switch (frame.type()) {
        case Connection.BUSY -> {
          return Optional.empty();
        }
        case Connection.STDOUT -> out.write(frame.payload());
        case Connection.STDERR -> errOut.write(frame.payload());
        case Connection.STDIN_WANTED -> pumpInput(connection);
        case Connection.EXIT -> {
          out.flush();
          errOut.flush();
          return Optional.of(ByteBuffer.wrap(frame.payload()).getInt());
        }
        default -> throw new IOException("unexpected frame '" + (char) frame.type() + "'");
      }
      started = true;
    }
  }

  /** Tells the daemon's terminal each new size of this one (SIGWINCH). */
  private static void forwardResizes(Connection connection) {
    try {
      Signal.handle(
          new Signal("WINCH"),
          signal -> {
            int[] size = Tty.size();
            try {
              connection.writeInts(Connection.RESIZE, size[0], size[1]);
            } catch (IOException e) {
              // The command ended meanwhile.
            }
          });
    } catch (IllegalArgumentException e) {
      // No SIGWINCH here: the daemon keeps the first size.
    }
  }

  private boolean pumping;

  /** Whether standard input is a terminal the client set to hand keystrokes over as typed. */
  private boolean keystrokes;

  /** Relays standard input once the command reads it: a command that does not, gets none. */
  private void pumpInput(Connection connection) {
    if (pumping) {
      return;
    }
    pumping = true;
    Thread.ofPlatform()
        .daemon()
        .name("codepilot-stdin")
        .start(
            () -> {
              InputStream in = new FileInputStream(FileDescriptor.in);
              byte[] buffer = new byte[8192];
              try {
                if (keystrokes) {
                  pollTerminal(in, buffer, connection);
                }
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  connection.write(Connection.STDIN, buffer, 0, read);
                }
                connection.write(Connection.STDIN_END, new byte[0]);
              } catch (IOException e) {
                // The command ended meanwhile.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  /**
   * Relays a terminal's keystrokes, reading only what is there: a thread blocked in a read of the
   * terminal would hold the JVM's exit back by 0.3 s (it waits for threads in native code), and a
   * terminal handing over keystrokes has no end of input to unblock it (Ctrl-D is a keystroke too).
   * A keystroke waits at most 10 ms. A terminal left as it was (standard output is not one) is read
   * as usual, so that Ctrl-D ends the input.
   */
  private static void pollTerminal(InputStream in, byte[] buffer, Connection connection)
      throws IOException, InterruptedException {
    while (true) {
      int ready = in.available();
      if (ready > 0) {
        int read = in.read(buffer, 0, Math.min(ready, buffer.length));
        if (read < 0) {
          return;
        }
        connection.write(Connection.STDIN, buffer, 0, read);
      } else {
        Thread.sleep(10);
      }
    }
  }

  private static void forwardInterrupts(Connection connection) {
    handleInterrupt(
        () -> {
          try {
            connection.write(Connection.INTERRUPT, new byte[0]);
          } catch (IOException e) {
            // The command ended meanwhile.
          }
        });
  }

  /**
   * Runs the command in a child JVM with this process's streams: what the launcher would have done
   * without the daemon. Ctrl-C at a terminal reaches the child through the process group; a SIGINT
   * sent to this process alone is passed on.
   */
  private int inProcess() {
    List<String> command = new ArrayList<>(inProcessJava);
    command.add(MAIN);
    command.addAll(args);
    try {
      Process child = new ProcessBuilder(command).inheritIO().start();
      boolean terminal = ttys.contains("1");
      handleInterrupt(
          () -> {
            if (!terminal) {
              try {
                new ProcessBuilder("kill", "-INT", String.valueOf(child.pid())).start().waitFor();
              } catch (IOException e) {
                // The child ended meanwhile.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      return child.waitFor();
    } catch (IOException e) {
      err.println("codepilot: cannot start " + command.get(0) + ": " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static void handleInterrupt(Runnable handler) {
    try {
      Signal.handle(new Signal("INT"), signal -> handler.run());
    } catch (IllegalArgumentException e) {
      // No SIGINT here, or the JVM runs with -Xrs: Ctrl-C ends the client, and the daemon sees
      // its connection close.
    }
  }

  /** The build: the class path given to the JVM, each entry with its size and time. */
  private String build() {
    int cp = java.indexOf("-cp");
    if (cp < 0) {
      cp = java.indexOf("-classpath");
    }
    String jdk = System.getProperty("java.home") + " " + Runtime.version();
    return jdk
        + "\n"
        + (cp >= 0 && cp + 1 < java.size() ? DaemonFolders.build(java.get(cp + 1)) : "");
  }

  private static int parse(String number) {
    try {
      return number == null ? 0 : Integer.parseInt(number.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
