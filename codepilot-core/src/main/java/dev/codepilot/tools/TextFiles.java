package dev.codepilot.tools;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * File content for the file tools, on channels {@link Workspace.Located} opened. Every read is
 * bounded: a file larger than the limit (or one that keeps growing while it is read) is read up to
 * the limit and reported as such, never read to the end.
 */
final class TextFiles {

  /** The most read_file reads of one file, and the largest file write_file edits by line. */
  static final long MAX_READ_BYTES = 64L * 1024 * 1024;

  private TextFiles() {}

  /**
   * Reads a whole file as UTF-8 for a line edit; ValueError when it is not valid UTF-8 text or
   * larger than {@link #MAX_READ_BYTES}.
   */
  static String readStrict(Workspace.Located file, String tool) throws ToolException {
    byte[] bytes;
    try (SeekableByteChannel channel = file.openRead(tool)) {
      bytes = Channels.newInputStream(channel).readNBytes((int) MAX_READ_BYTES + 1);
    } catch (IOException e) {
      throw file.error(tool, e);
    }
    if (bytes.length > MAX_READ_BYTES) {
      throw ToolException.valueError(
          "'"
              + file.display()
              + "' is larger than "
              + (MAX_READ_BYTES >> 20)
              + " MiB, too large to edit line by line; rewrite it whole"
              + " with mode='w' or change it with run_command");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw ToolException.valueError(
          "'"
              + file.display()
              + "' is not UTF-8 text, so it cannot be"
              + " edited line by line; rewrite it whole with mode='w' if that is intended");
    }
  }

  /** Writes {@code bytes} to the file, emptied first unless {@code append}. */
  static void write(Workspace.Located file, String tool, byte[] bytes, boolean append)
      throws ToolException {
    try (SeekableByteChannel channel = file.openWrite(tool, append)) {
      writeAll(channel, bytes);
    } catch (IOException e) {
      throw file.error(tool, e);
    }
  }

  /**
   * Appends {@code bytes} and returns the file's line count afterwards, counted as {@link
   * dev.codepilot.internal.Text#lineCount} from the same open file; -1 when the file is larger than
   * {@link #MAX_READ_BYTES}.
   */
  static long append(Workspace.Located file, String tool, byte[] bytes) throws ToolException {
    try (SeekableByteChannel channel = file.openWrite(tool, true)) {
      channel.position(channel.size());
      writeAll(channel, bytes);
      channel.position(0);
      return countLines(Channels.newInputStream(channel));
    } catch (IOException e) {
      throw file.error(tool, e);
    }
  }

  private static void writeAll(SeekableByteChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static long countLines(InputStream in) throws IOException {
    long newlines = 0;
    long read = 0;
    int last = -1;
    byte[] chunk = new byte[65536];
    int n;
    while ((n = in.read(chunk)) > 0) {
      read += n;
      if (read > MAX_READ_BYTES) {
        return -1;
      }
      for (int i = 0; i < n; i++) {
        if (chunk[i] == '\n') {
          newlines++;
        }
      }
      last = chunk[n - 1];
    }
    return last == -1 || last == '\n' ? newlines : newlines + 1;
  }

  /** Splits text into lines, each keeping its {@code \n} (the last one may have none). */
  static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /** The line separator a text uses: {@code \r\n} when its first line ends so, else {@code \n}. */
  static String separator(String text) {
    int at = text.indexOf('\n');
    return at > 0 && text.charAt(at - 1) == '\r' ? "\r\n" : "\n";
  }

  /**
   * The reason of a failed file operation, without the path (which the caller names the way the
   * model knows it).
   */
  static String reason(IOException e) {
    if (e instanceof FileSystemException fse) {
      return fse.getReason() != null ? fse.getReason() : e.getClass().getSimpleName();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** The Python exception for a failed file operation on the file shown as {@code display}. */
  static ToolException error(IOException e, String display) {
    if (e instanceof NoSuchFileException) {
      return ToolException.fileNotFound("No such file: '" + display + "'");
    }
    if (e instanceof AccessDeniedException) {
      return ToolException.permissionError(
          "Permission denied by the file system: '" + display + "'");
    }
    if (e instanceof NotDirectoryException) {
      return new ToolException("NotADirectoryError", "Not a directory: '" + display + "'");
    }
    if (e instanceof FileAlreadyExistsException || e instanceof DirectoryNotEmptyException) {
      return new ToolException("FileExistsError", "File exists: '" + display + "'");
    }
    String reason = reason(e);
    String lower = reason.toLowerCase(Locale.ROOT);
    if (e instanceof FileSystemLoopException || lower.contains("symbolic link")) {
      return ToolException.permissionError(
          "Refused '"
              + display
              + "': a symbolic link appeared"
              + " at this path after it was checked");
    }
    if (lower.contains("replaced")) {
      return ToolException.permissionError("Refused '" + display + "': " + reason);
    }
    if (lower.contains("is a directory")) {
      return new ToolException("IsADirectoryError", "Is a directory: '" + display + "'");
    }
    return new ToolException("OSError", "cannot access '" + display + "': " + reason);
  }

  /**
   * Passes on at most {@code limit} bytes; {@link #cut()} tells whether there was more (the file
   * was larger, or grew while it was read).
   */
  static final class Limited extends FilterInputStream {

    private long left;
    private boolean cut;

    Limited(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (left <= 0) {
        if (!cut && in.read() >= 0) {
          cut = true;
        }
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    boolean cut() {
      return cut;
    }
  }
}
