package dev.codepilot.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * File access for the file tools, on paths {@link Workspace#resolve} returned. Files are opened
 * with {@link LinkOption#NOFOLLOW_LINKS}: the checked path has no link as its last name, so a
 * link found there at open time appeared after the check and is refused rather than followed.
 */
final class TextFiles {

  private TextFiles() {
  }

  /** Reads a whole file as UTF-8; ValueError when it is not valid UTF-8 text. */
  static String readStrict(Path file, String display) throws ToolException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw error(e, file, display);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ToolException.valueError("'" + display + "' is not UTF-8 text, so it cannot be"
          + " edited line by line; rewrite it whole with mode='w' if that is intended");
    }
  }

  /** Writes {@code bytes}, creating, truncating or appending as the options say. */
  static void write(Path file, String display, byte[] bytes, boolean append) throws ToolException {
    List<OpenOption> options = new ArrayList<>(List.of(StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    options.add(append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    try (OutputStream out = Files.newOutputStream(file, options.toArray(OpenOption[]::new))) {
      out.write(bytes);
    } catch (IOException e) {
      throw error(e, file, display);
    }
  }

  /** The number of lines of a file, counted as {@link dev.codepilot.internal.Text#lineCount}. */
  static int countLines(Path file, String display) throws ToolException {
    int newlines = 0;
    int last = -1;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] chunk = new byte[65536];
      int n;
      while ((n = in.read(chunk)) > 0) {
        for (int i = 0; i < n; i++) {
          if (chunk[i] == '\n') {
            newlines++;
          }
        }
        last = chunk[n - 1];
      }
    } catch (IOException e) {
      throw error(e, file, display);
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

  /** Creates the directories above {@code file}; NotADirectoryError when a file is in the way. */
  static void createParents(Path file, String display) throws ToolException {
    Path parent = file.getParent();
    if (parent == null) {
      return;
    }
    try {
      Files.createDirectories(parent);
    } catch (FileAlreadyExistsException e) {
      throw new ToolException("NotADirectoryError", "cannot create '" + display + "': a part of"
          + " its folder path is a file, not a folder");
    } catch (IOException e) {
      throw error(e, parent, display);
    }
  }

  /** The Python exception for a failed file operation. */
  static ToolException error(IOException e, Path file, String display) {
    if (e instanceof NoSuchFileException) {
      return ToolException.fileNotFound("No such file: '" + display + "'");
    }
    if (e instanceof AccessDeniedException) {
      return ToolException.permissionError("Permission denied by the file system: '" + display
          + "'");
    }
    if (e instanceof NotDirectoryException) {
      return new ToolException("NotADirectoryError", "Not a directory: '" + display + "'");
    }
    if (e instanceof FileAlreadyExistsException || e instanceof DirectoryNotEmptyException) {
      return new ToolException("FileExistsError", "File exists: '" + display + "'");
    }
    if (e instanceof FileSystemLoopException || Files.isSymbolicLink(file)) {
      return ToolException.permissionError("Refused '" + display + "': a symbolic link appeared"
          + " at this path after it was checked");
    }
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      return new ToolException("IsADirectoryError", "Is a directory: '" + display + "'");
    }
    String reason = e instanceof FileSystemException fse && fse.getReason() != null
        ? fse.getReason() : e.getMessage();
    return new ToolException("OSError", "cannot access '" + display + "': " + reason);
  }
}
