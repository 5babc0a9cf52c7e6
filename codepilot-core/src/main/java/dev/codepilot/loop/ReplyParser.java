package dev.codepilot.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one parser of model replies, following CommonMark's rules for fenced code blocks: a fence is
 * a line of three or more backticks (or tildes) indented by at most three spaces; it is closed by a
 * line of the same character at least as long, with nothing after it but spaces. So a payload
 * fenced with four backticks may contain lines of three.
 *
 * <p>The control block is the first block whose info string is {@code python}, {@code py} (or
 * {@code python3}) or empty; every later block is a payload. Blocks before the control block, and
 * text outside blocks, are never executed.
 */
public final class ReplyParser {

  private static final Set<String> CONTROL_TAGS = Set.of("", "python", "py", "python3");

  private ReplyParser() {}

  /** Parses a reply. Never throws; any text is a valid reply. */
  public static ParsedReply parse(String reply) {
    String[] lines = reply.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    String control = null;
    List<String> payloads = new ArrayList<>();
    boolean unclosed = false;
    int i = 0;
    while (i < lines.length) {
      Fence open = Fence.opening(lines[i]);
      if (open == null) {
        i++;
        continue;
      }
      StringBuilder content = new StringBuilder();
      int j = i + 1;
      boolean closed = false;
      while (j < lines.length) {
        if (open.isClosedBy(lines[j])) {
          closed = true;
          break;
        }
        content.append(open.stripIndent(lines[j])).append('\n');
        j++;
      }
      if (!closed) {
        unclosed = true;
        // An open fence swallows the rest of the reply; a trailing empty line is not content.
        if (content.length() > 0 && lines[lines.length - 1].isEmpty()) {
          content.setLength(content.length() - 1);
        }
      }
      if (control == null) {
        if (CONTROL_TAGS.contains(open.language())) {
          control = content.toString();
        }
      } else {
        payloads.add(content.toString());
      }
      i = j + 1;
    }
    return new ParsedReply(Optional.ofNullable(control), payloads, unclosed);
  }

  /** An opening fence: its character, length, indentation and language tag. */
  private record Fence(char marker, int length, int indent, String language) {

    static Fence opening(String line) {
      int indent = leadingSpaces(line);
      if (indent > 3 || indent >= line.length()) {
        return null;
      }
      char marker = line.charAt(indent);
      if (marker != '`' && marker != '~') {
        return null;
      }
      int end = indent;
      while (end < line.length() && line.charAt(end) == marker) {
        end++;
      }
      int length = end - indent;
      if (length < 3) {
        return null;
      }
      String info = line.substring(end).strip();
      if (marker == '`' && info.indexOf('`') >= 0) {
        return null;
      }
      String language = info.isEmpty() ? "" : info.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
      return new Fence(marker, length, indent, language);
    }

    boolean isClosedBy(String line) {
      int spaces = leadingSpaces(line);
      if (spaces > 3) {
        return false;
      }
      int end = spaces;
      while (end < line.length() && line.charAt(end) == marker) {
        end++;
      }
      return end - spaces >= length && line.substring(end).isBlank();
    }

    String stripIndent(String line) {
      int remove = Math.min(indent, leadingSpaces(line));
      return line.substring(remove);
    }

    private static int leadingSpaces(String line) {
      int n = 0;
      while (n < line.length() && line.charAt(n) == ' ') {
        n++;
      }
      return n;
    }
  }
}
