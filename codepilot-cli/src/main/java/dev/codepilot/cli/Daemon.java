package dev.codepilot.cli;

import dev.codepilot.CodePilot;
import dev.codepilot.daemon.Connection;
import dev.codepilot.daemon.DaemonFolders;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The warm host of the {@code codepilot} command: a JVM that keeps GraalPy's engine and the JIT's
 * work between commands and runs each command its client hands it with {@link Main#run}, on the
 * client's standard streams. It serves one command at a time, and only clients whose build, JVM,
 * working directory and environment are its own (its folder's name is their hash, see {@code
 * DaemonFolders}), so {@code System.getenv}, relative paths and the JVM's state are what a fresh
 * process would have. Started by {@code dev.codepilot.daemon.DaemonClient} in its own session with
 * its output in {@code daemon.log}; ends after {@code CODEPILOT_DAEMON_IDLE} without a command
 * (default 3 h), when asked to stop, or when its socket is removed. Not a user command.
 *
 * <pre>
 * java ... -cp codepilot-cli.jar dev.codepilot.cli.Daemon FOLDER KEY
 * </pre>
 */
final class Daemon {

  static final Duration DEFAULT_IDLE = Duration.ofHours(3);

  private final Path folder;
  private final Path socket;
  private final String key;
  private final Duration idleLimit;
  private final PrintStream log;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final Instant started = Instant.now();
  private volatile long lastUsed = System.nanoTime();
  private volatile boolean stopAfterCommand;

  private Daemon(Path folder, String key, Duration idleLimit) {
    this.folder = folder;
    this.socket = DaemonFolders.socket(folder);
    this.key = key;
    this.idleLimit = idleLimit;
    this.log = System.out;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: Daemon FOLDER KEY");
      System.exit(2);
    }
    // Its own session has no terminal; a stray SIGINT or SIGHUP must not end other commands.
    for (String name : List.of("INT", "HUP")) {
      try {
        Signal.handle(new Signal(name), SignalHandler.SIG_IGN);
      } catch (IllegalArgumentException e) {
        // Not on this platform.
      }
    }
    Duration idle;
    try {
      idle = idleLimit(System.getenv("CODEPILOT_DAEMON_IDLE"));
    } catch (IllegalArgumentException e) {
      System.out.println(e.getMessage() + "; using " + DEFAULT_IDLE.toHours() + "h");
      idle = DEFAULT_IDLE;
    }
    new Daemon(Path.of(args[0]).toAbsolutePath(), args[1], idle).serve();
  }

  /**
   * Reads {@code CODEPILOT_DAEMON_IDLE}: a number with {@code s}, {@code m} or {@code h}, or
   * seconds without a unit.
   */
  static Duration idleLimit(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_IDLE;
    }
    String value = text.strip().toLowerCase(Locale.ROOT);
    char unit = value.charAt(value.length() - 1);
    String number = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1);
    long amount;
    try {
      amount = Long.parseLong(number);
    } catch (NumberFormatException e) {
      amount = -1;
    }
    if (amount <= 0) {
      throw new IllegalArgumentException(
          "CODEPILOT_DAEMON_IDLE='" + text + "' is not a time such as 30s, 20m or 3h");
    }
    return switch (unit) {
      case 'h' -> Duration.ofHours(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 's' -> Duration.ofSeconds(amount);
      default -> {
        if (Character.isDigit(unit)) {
          yield Duration.ofSeconds(amount);
        }
        throw new IllegalArgumentException(
            "CODEPILOT_DAEMON_IDLE='" + text + "' is not a time such as 30s, 20m or 3h");
      }
    };
  }

  private void serve() throws IOException {
    // Bound under another name and then renamed, so that the socket appears only once it
    // listens: a client that cannot connect to a socket takes it for a dead daemon's.
    Path fresh = socket.resolveSibling(socket.getFileName() + ".new");
    Files.deleteIfExists(fresh);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(fresh));
    Files.move(fresh, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    note(
        "listening on "
            + socket
            + " (pid "
            + ProcessHandle.current().pid()
            + ", idle limit "
            + idleLimit
            + ")");
    Runtime.getRuntime().addShutdownHook(new Thread(this::removeSocket, "codepilot-daemon-end"));
    // The first command finds the Python engine made.
    CodePilot.prewarm();
    Thread.ofPlatform().daemon().name("codepilot-daemon-idle").start(this::watch);
    while (true) {
      SocketChannel channel = server.accept();
      Thread.ofPlatform().name("codepilot-daemon-connection").start(() -> handle(channel));
    }
  }

  /** Ends the daemon when idle too long or when its socket is gone (removed, or replaced). */
  private void watch() {
    while (true) {
      try {
        Thread.sleep(Math.min(1000, Math.max(50, idleLimit.toMillis() / 4)));
      } catch (InterruptedException e) {
        return;
      }
      if (!Files.exists(socket)) {
        note("the socket was removed; ending");
        System.exit(0);
      }
      if (!busy.get()
          && System.nanoTime() - lastUsed > idleLimit.toNanos()
          && busy.compareAndSet(false, true)) {
        note("idle for " + idleLimit + "; ending");
        System.exit(0);
      }
    }
  }

  private void handle(SocketChannel channel) {
    try (Connection connection = new Connection(channel)) {
      Optional<Connection.Frame> first = connection.read();
      if (first.isEmpty()) {
        return;
      }
      switch (first.get().type()) {
        case Connection.STATUS -> connection.write(Connection.REPLY, status());
        case Connection.STOP -> {
          if (busy.compareAndSet(false, true)) {
            connection.write(Connection.REPLY, "stopped");
            note("asked to stop; ending");
            System.exit(0);
          }
          stopAfterCommand = true;
          connection.write(Connection.REPLY, "stopping after its command");
        }
        case Connection.RUN -> {
          Connection.Request request = Connection.Request.decode(first.get().payload());
          if (request.protocol() != Connection.PROTOCOL
              || !request.key().equals(key)
              || !busy.compareAndSet(false, true)) {
            connection.write(Connection.BUSY, new byte[0]);
            return;
          }
          try {
            run(connection, request);
          } finally {
            lastUsed = System.nanoTime();
            busy.set(false);
            if (stopAfterCommand && busy.compareAndSet(false, true)) {
              note("asked to stop; ending after the command");
              System.exit(0);
            }
          }
        }
        default ->
            note("ignored a connection that began with frame '" + (char) first.get().type() + "'");
      }
    } catch (IOException | RuntimeException e) {
      note("a connection failed: " + e);
    }
  }

  private String status() {
    long idle = busy.get() ? -1 : (System.nanoTime() - lastUsed) / 1_000_000;
    return "pid="
        + ProcessHandle.current().pid()
        + "\n"
        + "state="
        + (busy.get() ? "busy" : "idle")
        + "\n"
        + "idle_ms="
        + idle
        + "\n"
        + "build="
        + version()
        + " "
        + key
        + "\n"
        + "dir="
        + Path.of("").toAbsolutePath()
        + "\n"
        + "started="
        + started
        + "\n";
  }

  /** Runs one command on the client's streams and sends its exit code. */
  private void run(Connection connection, Connection.Request request) throws IOException {
    long start = System.nanoTime();
    AtomicBoolean finished = new AtomicBoolean();
    ClientInput in = new ClientInput(connection);
    ClientOutput stdout = new ClientOutput(connection, Connection.STDOUT, finished);
    PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(
            new ClientOutput(connection, Connection.STDERR, finished),
            true,
            StandardCharsets.UTF_8);
    InputStream systemIn = System.in;
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    Exits.Handler early =
        (code, halt) -> {
          // The command ends the JVM in-process; here the client gets the code, then this daemon,
          // whose command was cut short, ends the same way.
          out.flush();
          err.flush();
          finish(connection, finished, code);
          note("command ended the process (exit " + code + "); ending");
          removeSocket();
          if (halt) {
            Runtime.getRuntime().halt(code);
          }
          System.exit(code);
        };
    Runnable interrupt =
        () -> {
          if (Interrupts.handled()) {
            Interrupts.deliver();
          } else {
            // No handler yet: in-process the JVM's default would have ended it with 130.
            early.exit(130, false);
          }
        };
    Terminal terminal = request.atTerminal() ? openTerminal(request, in, stdout, interrupt) : null;
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .name("codepilot-daemon-client")
            .start(() -> readClient(connection, in, finished, early, interrupt, terminal));
    System.setIn(terminal != null ? terminal.input() : in);
    Console.forwardTerminal(terminal);
    System.setOut(out);
    System.setErr(err);
    Console.forward(out, err);
    Interrupts.fromClient(true);
    Exits.use(early);
    int code;
    try {
      code = Main.run(request.args().toArray(String[]::new));
    } catch (RuntimeException | Error e) {
      err.println("codepilot: " + e);
      code = ExitCodes.FAILED;
    } finally {
      Exits.use(null);
      Interrupts.fromClient(false);
      Console.forwardTerminal(null);
      Console.forward(null, null);
      System.setIn(systemIn);
      System.setOut(systemOut);
      System.setErr(systemErr);
    }
    out.flush();
    err.flush();
    // The end of input first: it ends the terminal's input thread, which closing waits for.
    in.end();
    if (terminal != null) {
      try {
        // Closed already when the command's console closed it.
        terminal.close();
      } catch (IOException | RuntimeException e) {
        note("closing the client's terminal: " + e);
      }
    }
    finish(connection, finished, code);
    reader.interrupt();
    note(
        "command '"
            + (request.args().isEmpty() ? "" : request.args().get(0))
            + "' exit "
            + code
            + " in "
            + (System.nanoTime() - start) / 1_000_000
            + " ms");
  }

  /**
   * The client's terminal, for an interactive command: JLine's terminal over the client's
   * keystrokes and output, doing what the kernel's terminal would (echo, line editing, Ctrl-C as an
   * interrupt; see {@code Tty} in the client, which hands the keystrokes over as typed). Output
   * processing is the client's own terminal's, so none is done here. Null when it cannot be made:
   * the command then runs with plain output, as without a terminal.
   */
  private Terminal openTerminal(
      Connection.Request request, InputStream in, OutputStream out, Runnable interrupt) {
    try {
      Size size =
          new Size(
              request.width() > 0 ? request.width() : 80,
              request.height() > 0 ? request.height() : 24);
      // JLine's line discipline in Java, not a pseudo-terminal of the daemon's (the builder's
      // choice when it has native access): nothing to leak, nothing to wait for at the end.
      Terminal terminal =
          new ExternalTerminal(
              "codepilot",
              request.term().isEmpty() ? "xterm-256color" : request.term(),
              in,
              out,
              StandardCharsets.UTF_8);
      terminal.setSize(size);
      Attributes attributes = terminal.getAttributes();
      attributes.setOutputFlag(Attributes.OutputFlag.OPOST, false);
      terminal.setAttributes(attributes);
      terminal.handle(Terminal.Signal.INT, signal -> interrupt.run());
      return terminal;
    } catch (IOException | RuntimeException e) {
      note("could not make the client's terminal: " + e);
      return null;
    }
  }

  private static void finish(Connection connection, AtomicBoolean finished, int code) {
    if (finished.compareAndSet(false, true)) {
      try {
        connection.writeInt(Connection.EXIT, code);
      } catch (IOException e) {
        // The client is gone; the command ended anyway.
      }
    }
  }

  /**
   * Standard input, Ctrl-C and the client's end. A client that goes away mid-command (killed, its
   * terminal closed) is a process killed in-process terms: the command is quit.
   */
  private void readClient(
      Connection connection,
      ClientInput in,
      AtomicBoolean finished,
      Exits.Handler early,
      Runnable interrupt,
      Terminal terminal) {
    try {
      while (true) {
        Optional<Connection.Frame> frame = connection.read();
        if (frame.isEmpty()) {
          break;
        }
        switch (frame.get().type()) {
          case Connection.STDIN -> in.offer(frame.get().payload());
          case Connection.STDIN_END -> in.end();
          case Connection.INTERRUPT -> {
            if (terminal != null) {
              // As a SIGINT at a terminal reaches whoever handles the terminal's Ctrl-C.
              terminal.raise(Terminal.Signal.INT);
            } else {
              interrupt.run();
            }
          }
          case Connection.RESIZE -> {
            if (terminal != null) {
              ByteBuffer size = ByteBuffer.wrap(frame.get().payload());
              int columns = size.getInt();
              int rows = size.getInt();
              if (columns > 0 && rows > 0) {
                terminal.setSize(new Size(columns, rows));
                terminal.raise(Terminal.Signal.WINCH);
              }
            }
          }
          default -> note("ignored frame '" + (char) frame.get().type() + "' from a client");
        }
      }
    } catch (IOException e) {
      // Read as the client's end.
    }
    in.end();
    if (!finished.get()) {
      note("the client went away mid-command; ending the command");
      early.exit(ExitCodes.FAILED, false);
    }
  }

  private void removeSocket() {
    try {
      Files.deleteIfExists(socket);
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          if (!file.equals(DaemonFolders.log(folder))) {
            Files.deleteIfExists(file);
          }
        }
      }
    } catch (IOException e) {
      // The next client finds a stale socket and removes it.
    }
  }

  private void note(String text) {
    log.println(Instant.now() + " " + text);
    log.flush();
  }

  private static String version() {
    try {
      return new CodePilotCommand.Version().getVersion()[0].replace("codepilot ", "");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The client's standard input, asked for when the command first reads it. */
  private static final class ClientInput extends InputStream {
    private static final byte[] END = new byte[0];
    private final Connection connection;
    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int position;
    private boolean asked;
    private boolean ended;

    ClientInput(Connection connection) {
      this.connection = connection;
    }

    void offer(byte[] bytes) {
      chunks.add(bytes);
    }

    void end() {
      chunks.add(END);
    }

    @Override
    public synchronized int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (position >= current.length) {
        if (ended) {
          return -1;
        }
        if (!asked) {
          asked = true;
          connection.write(Connection.STDIN_WANTED, new byte[0]);
        }
        try {
          current = chunks.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading standard input");
        }
        position = 0;
        if (current == END) {
          ended = true;
        }
      }
      int count = Math.min(length, current.length - position);
      System.arraycopy(current, position, buffer, offset, count);
      position += count;
      return count;
    }

    @Override
    public synchronized int available() {
      return current.length - position;
    }
  }

  /** Bytes for one of the client's output streams; after the command, into the log. */
  private final class ClientOutput extends OutputStream {
    private final Connection connection;
    private final byte type;
    private final AtomicBoolean finished;

    ClientOutput(Connection connection, byte type, AtomicBoolean finished) {
      this.connection = connection;
      this.type = type;
      this.finished = finished;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return;
      }
      if (finished.get()) {
        // A thread of the last command that outlived it.
        log.write(bytes, offset, length);
        return;
      }
      connection.write(type, bytes, offset, length);
    }
  }
}
