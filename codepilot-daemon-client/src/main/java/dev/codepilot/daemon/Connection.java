package dev.codepilot.daemon;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One connection between a client and a daemon, carrying frames: a type byte, a length and that
 * many bytes. One thread may read while others write; writes are whole frames, never interleaved.
 *
 * <p>Frames from the client: {@link #RUN} (the command), then {@link #STDIN} and {@link #STDIN_END}
 * once the daemon asks for input (at a terminal: from the start, keystroke by keystroke), {@link
 * #INTERRUPT} for each Ctrl-C that is a signal, and {@link #RESIZE} when the terminal's size
 * changes; or alone {@link #STATUS} or {@link #STOP}. Frames from the daemon: {@link #BUSY}, or
 * {@link #STDOUT}, {@link #STDERR} and {@link #STDIN_WANTED} and at the end {@link #EXIT}; or
 * {@link #REPLY} to a status or stop request.
 */
public final class Connection implements AutoCloseable {

  /** Bumped when a frame changes meaning, so that a daemon of another build is never used. */
  public static final int PROTOCOL = 2;

  public static final byte RUN = 'R';
  public static final byte STDIN = 'I';
  public static final byte STDIN_END = 'E';
  public static final byte INTERRUPT = 'C';
  public static final byte STATUS = 'S';
  public static final byte STOP = 'Q';
  public static final byte RESIZE = 'Z';

  public static final byte BUSY = 'B';
  public static final byte STDOUT = 'O';
  public static final byte STDERR = 'e';
  public static final byte STDIN_WANTED = 'W';
  public static final byte EXIT = 'X';
  public static final byte REPLY = 'T';

  /** Larger frames mean a confused peer, not data. */
  private static final int MAX_FRAME = 16 * 1024 * 1024;

  /** A frame received. */
  public record Frame(byte type, byte[] payload) {
    /** The payload as UTF-8 text. */
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final SocketChannel channel;
  private final ByteBuffer header = ByteBuffer.allocate(5);
  private final Object writeLock = new Object();

  public Connection(SocketChannel channel) {
    this.channel = channel;
  }

  /** Connects to the daemon listening on {@code socket}; empty when none answers there. */
  public static Optional<Connection> open(Path socket) {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return Optional.of(new Connection(channel));
    } catch (IOException | UnsupportedOperationException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Nothing was sent.
        }
      }
      return Optional.empty();
    }
  }

  /** Sends one frame. */
  public void write(byte type, byte[] payload, int offset, int length) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(5 + length);
    frame.put(type).putInt(length).put(payload, offset, length).flip();
    synchronized (writeLock) {
      while (frame.hasRemaining()) {
        channel.write(frame);
      }
    }
  }

  /** Sends one frame. */
  public void write(byte type, byte[] payload) throws IOException {
    write(type, payload, 0, payload.length);
  }

  /** Sends one frame holding {@code text} as UTF-8. */
  public void write(byte type, String text) throws IOException {
    write(type, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one frame holding two numbers: a terminal's columns and rows. */
  public void writeInts(byte type, int first, int second) throws IOException {
    write(type, ByteBuffer.allocate(8).putInt(first).putInt(second).array());
  }

  /** Sends one frame holding a number: an exit code. */
  public void writeInt(byte type, int value) throws IOException {
    write(type, ByteBuffer.allocate(4).putInt(value).array());
  }

  /** The next frame; empty when the peer closed the connection. */
  public Optional<Frame> read() throws IOException {
    header.clear();
    if (!fill(header)) {
      return Optional.empty();
    }
    header.flip();
    byte type = header.get();
    int length = header.getInt();
    if (length < 0 || length > MAX_FRAME) {
      throw new IOException(
          "a frame of " + length + " bytes: the peer does not speak this" + " protocol");
    }
    ByteBuffer payload = ByteBuffer.allocate(length);
    if (!fill(payload)) {
      throw new EOFException("the connection closed within a frame");
    }
    return Optional.of(new Frame(type, payload.array()));
  }

  private boolean fill(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        if (buffer.position() == 0) {
          return false;
        }
        throw new EOFException("the connection closed within a frame");
      }
    }
    return true;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a socket that is gone already.
    }
  }

  /** What a client asks a daemon to run. */
  public record Request(
      int protocol,
      String key,
      String workingDir,
      String ttys,
      int width,
      int height,
      String term,
      List<String> args) {

    /** Whether the client relays its terminal: the command is interactive. */
    public boolean atTerminal() {
      return relaysTerminal(ttys, term);
    }

    /**
     * Whether a client whose standard streams are {@code ttys} ("1" for a terminal, for input,
     * output and error) and whose {@code TERM} is {@code term} relays its terminal: input and
     * output are one, and not a dumb one (an editor's shell buffer), which the command line treats
     * as no terminal.
     */
    public static boolean relaysTerminal(String ttys, String term) {
      return ttys.length() >= 2
          && ttys.charAt(0) == '1'
          && ttys.charAt(1) == '1'
          && !term.equals("dumb")
          && !term.equals("dumb-color");
    }

    public byte[] encode() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(protocol);
        writeString(out, key);
        writeString(out, workingDir);
        writeString(out, ttys);
        out.writeInt(width);
        out.writeInt(height);
        writeString(out, term);
        out.writeInt(args.size());
        for (String arg : args) {
          writeString(out, arg);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return bytes.toByteArray();
    }

    public static Request decode(byte[] payload) throws IOException {
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
      int protocol = in.readInt();
      if (protocol != PROTOCOL) {
        return new Request(protocol, "", "", "", 0, 0, "", List.of());
      }
      String key = readString(in);
      String dir = readString(in);
      String ttys = readString(in);
      int width = in.readInt();
      int height = in.readInt();
      String term = readString(in);
      int count = in.readInt();
      List<String> args = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        args.add(readString(in));
      }
      return new Request(protocol, key, dir, ttys, width, height, term, List.copyOf(args));
    }

    // writeUTF stops at 64 KB; a task given on the command line can be longer.
    private static void writeString(DataOutputStream out, String text) throws IOException {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
