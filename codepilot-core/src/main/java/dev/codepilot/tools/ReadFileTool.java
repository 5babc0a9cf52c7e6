package dev.codepilot.tools;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code read_file(path, start_line=1, end_line=None)}: the file's lines, numbered, under a header
 * naming the range and the total. The text is cut to {@code runtime.max_output_chars} with a note
 * saying where to read on.
 */
final class ReadFileTool implements ToolDefinition {

  static final String NAME = "read_file";
  private static final int BINARY_PROBE = 8192;

  /** Room kept for the header and the continuation note. */
  private static final int RESERVED = 300;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return """
        Read a text file and return its lines numbered as "    N | text" under a header \
        'path' (lines s–e of T). Read a range with start_line and end_line. Long output is cut \
        with a note saying which start_line to read on from.""";
  }

  @Override
  public List<ToolParameter> parameters() {
    return List.of(
        ToolParameter.required("path", PyType.STR),
        ToolParameter.optional("start_line", PyType.INT, 1),
        ToolParameter.optional("end_line", PyType.INT, null));
  }

  @Override
  public String describe(ToolInvocation call) {
    return "Read '" + call.get("path") + "'";
  }

  @Override
  public Object invoke(ToolInvocation call) throws ToolException {
    Workspace workspace = call.context().workspace();
    try (Workspace.Located file = workspace.locate(call.string("path"), false)) {
      String display = file.display();
      long start = call.optionalInteger("start_line").orElse(1L);
      Optional<Long> end = call.optionalInteger("end_line");
      if (start < 1) {
        throw ToolException.valueError("read_file(): start_line must be 1 or more, not " + start);
      }
      if (end.isPresent() && end.get() < start) {
        throw ToolException.valueError(
            "read_file(): end_line " + end.get() + " is before start_line " + start);
      }
      int limit = call.context().runtimeConfig().maxOutputChars();
      try (SeekableByteChannel channel = file.openRead(NAME);
          TextFiles.Limited bounded =
              new TextFiles.Limited(Channels.newInputStream(channel), TextFiles.MAX_READ_BYTES);
          BufferedInputStream in = new BufferedInputStream(bounded, BINARY_PROBE)) {
        if (looksBinary(in)) {
          throw ToolException.valueError(
              "'"
                  + display
                  + "' is a binary file ("
                  + channel.size()
                  + " bytes); read_file reads text only");
        }
        Reader reader =
            new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE));
        return render(reader, bounded, display, start, end.orElse(Long.MAX_VALUE), limit);
      } catch (IOException e) {
        throw file.error(NAME, e);
      }
    }
  }

  private static boolean looksBinary(BufferedInputStream in) throws IOException {
    in.mark(BINARY_PROBE);
    byte[] probe = in.readNBytes(BINARY_PROBE);
    in.reset();
    for (byte b : probe) {
      if (b == 0) {
        return true;
      }
    }
    return false;
  }

  private static String render(
      Reader reader, TextFiles.Limited bounded, String display, long start, long end, int limit)
      throws IOException, ToolException {
    int budget = Math.max(limit - RESERVED, 100);
    StringBuilder body = new StringBuilder();
    LineReader lines = new LineReader(reader, budget);
    long number = 0;
    long lastShown = 0;
    long resumeAt = 0;
    while (lines.next()) {
      number++;
      if (number < start || number > end || resumeAt > 0) {
        continue;
      }
      String text = lines.text();
      String numbered =
          text.isEmpty() ? String.format("%5d |", number) : String.format("%5d | %s", number, text);
      long hidden = lines.cut();
      if (body.length() + numbered.length() + 1 > budget) {
        if (lastShown > 0) {
          resumeAt = number;
          continue;
        }
        // A single line longer than the limit: show its start rather than nothing.
        int keep = budget - 60;
        hidden += numbered.length() - keep;
        numbered = numbered.substring(0, keep);
      }
      if (hidden > 0) {
        numbered += " [... " + hidden + " more chars on this line]";
      }
      body.append(numbered).append('\n');
      lastShown = number;
    }
    long total = number;
    // A file larger than the read limit (or growing while read) is read up to the limit only.
    String cut =
        bounded.cut()
            ? "; the file is longer, read_file reads its first "
                + (TextFiles.MAX_READ_BYTES >> 20)
                + " MiB only: use run_command for the rest"
            : "";
    if (total == 0) {
      return "'" + display + "' (empty file, 0 lines)";
    }
    if (start > total) {
      throw ToolException.valueError(
          "read_file(): start_line "
              + start
              + " is past the end of '"
              + display
              + "' ("
              + total
              + " line"
              + (total == 1 ? "" : "s")
              + cut
              + ")");
    }
    long last = Math.min(end, total);
    StringBuilder out = new StringBuilder(body.length() + RESERVED);
    out.append('\'')
        .append(display)
        .append("' (lines ")
        .append(start)
        .append('–')
        .append(resumeAt > 0 ? lastShown : last)
        .append(" of ")
        .append(total)
        .append(bounded.cut() ? "+" : "")
        .append(cut)
        .append(")\n");
    out.append(body);
    if (resumeAt > 0) {
      out.append("[... output limit reached: lines ")
          .append(resumeAt)
          .append('–')
          .append(last)
          .append(" not shown; use read_file('")
          .append(display.replace("'", "\\'"))
          .append("', start_line=")
          .append(resumeAt)
          .append(") to read on]\n");
    }
    return out.toString().stripTrailing();
  }

  /**
   * Reads lines split at {@code \n} (a {@code \r} before it is dropped), holding at most {@code
   * keep} characters of any one line and counting the rest.
   */
  private static final class LineReader {

    private final Reader reader;
    private final int keep;
    private final StringBuilder line = new StringBuilder();
    private final char[] buffer = new char[8192];
    private int position;
    private int size;
    private long cut;
    private boolean ended;

    LineReader(Reader reader, int keep) {
      this.reader = reader;
      this.keep = keep;
    }

    boolean next() throws IOException {
      line.setLength(0);
      cut = 0;
      boolean any = false;
      while (true) {
        if (position == size) {
          if (ended) {
            return any;
          }
          size = reader.read(buffer);
          position = 0;
          if (size <= 0) {
            size = 0;
            ended = true;
            return any;
          }
        }
        char c = buffer[position++];
        any = true;
        if (c == '\n') {
          int length = line.length();
          if (cut == 0 && length > 0 && line.charAt(length - 1) == '\r') {
            line.setLength(length - 1);
          }
          return true;
        }
        if (line.length() < keep) {
          line.append(c);
        } else {
          cut++;
        }
      }
    }

    String text() {
      return line.toString();
    }

    long cut() {
      return cut;
    }
  }
}
