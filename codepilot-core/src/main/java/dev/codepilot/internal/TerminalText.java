package dev.codepilot.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one cleaner for text that reaches a terminal. Whatever a model, a tool, a command's output, a
 * session file or a user wrote goes through it before it is printed, so that nothing in it can
 * drive the terminal (escape sequences that move the cursor, clear the screen, set the window
 * title; C1 controls such as the 8-bit CSI) or disguise itself (carriage returns and backspaces
 * that overwrite what was printed, right-to-left overrides and other bidi controls that reorder it,
 * zero-width and other invisible characters, line and paragraph separators).
 *
 * <p>Nothing is dropped: each such character is shown as a visible sign, so what is shown is what
 * is there. C0 controls and DEL become their Unicode control pictures ({@code ␛}, {@code ␇}, {@code
 * ␈}, {@code ␍}, {@code ␉}, ...), a line break in one-line text becomes {@code ⏎}, and every other
 * hidden character its code point, as in {@code ⟨U+202E⟩}.
 *
 * <ul>
 *   <li>{@link #line} for text shown on one line: a step's thought, a tool's arguments;
 *   <li>{@link #block} for text whose lines the caller prints as lines: command output, tracebacks,
 *       a stored conversation;
 *   <li>{@link #prompt} for what a person is asked to decide on: one line, long runs of blanks and
 *       controls counted instead of repeated, and a very long text cut in the middle with a count
 *       of what is not shown, so that no part can scroll the rest out of sight.
 * </ul>
 */
public final class TerminalText {

  /** How many characters {@link #prompt(String)} shows at most, the marker aside. */
  public static final int PROMPT_CHARS = 1200;

  /** A run of at least this many equal blanks or hidden characters is shown as a count. */
  private static final int RUN = 8;

  private TerminalText() {}

  /**
   * True for the code points this class never lets through as they are: C0 controls, DEL, C1
   * controls, format characters (bidi controls, zero-width characters, the soft hyphen, tag
   * characters), line and paragraph separators, unpaired surrogates, and the letters that are drawn
   * as nothing (Hangul fillers). Variation selectors stay: emoji need them.
   */
  public static boolean isHidden(int codePoint) {
    if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) {
      return true;
    }
    return switch (Character.getType(codePoint)) {
      case Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE ->
          true;
      default ->
          codePoint == 0x034f
              || codePoint == 0x115f
              || codePoint == 0x1160
              || codePoint == 0x17b4
              || codePoint == 0x17b5
              || codePoint == 0x3164
              || codePoint == 0xffa0
              || (codePoint >= 0x180b && codePoint <= 0x180f)
              || (codePoint >= 0x2060 && codePoint <= 0x206f)
              || (codePoint >= 0xfff0 && codePoint <= 0xfff8)
              || (codePoint >= 0xe0000 && codePoint <= 0xe00ff);
    };
  }

  /** True when {@code text} has nothing {@link #isHidden hidden} in it. */
  public static boolean isClean(String text) {
    return text.codePoints().noneMatch(TerminalText::isHidden);
  }

  /** The visible sign of one hidden code point, as shown in one-line text. */
  public static String sign(int codePoint) {
    if (codePoint == '\n') {
      return "⏎";
    }
    if (codePoint < 0x20) {
      return String.valueOf((char) (0x2400 + codePoint));
    }
    if (codePoint == 0x7f) {
      return "␡";
    }
    return String.format(Locale.ROOT, "⟨U+%04X⟩", codePoint);
  }

  /** One-line text: every hidden character shown by its {@link #sign}, line breaks as ⏎. */
  public static String line(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.codePoints().forEach(c -> appendVisible(out, c));
    return out.toString();
  }

  /**
   * Text whose lines the caller prints as lines: line breaks (also CR LF) and tabs stay, every
   * other hidden character is shown by its {@link #sign} (a lone CR as ␍, so that it cannot
   * overwrite the start of its line).
   */
  public static String block(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    int length = text.length();
    for (int i = 0; i < length; ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\r' && i < length && text.charAt(i) == '\n') {
        continue;
      }
      if (c == '\n' || c == '\t') {
        out.append((char) c);
      } else {
        appendVisible(out, c);
      }
    }
    return out.toString();
  }

  /**
   * A {@link #block} whose lines after the first start with {@code indent}, so that none of them
   * can pose as a line of its own (an event, a prompt) in the output around it. Line breaks at its
   * end are left out.
   */
  public static String block(String text, String indent) {
    String clean = block(text).stripTrailing();
    return clean.replace("\n", "\n" + indent);
  }

  /** What a person is asked to decide on, shown in at most {@value #PROMPT_CHARS} characters. */
  public static String prompt(String text) {
    return prompt(text, PROMPT_CHARS);
  }

  /**
   * What a person is asked to decide on, on one line: as {@link #line}, but a run of at least eight
   * equal blanks or hidden characters is shown once with its count ({@code ⟨60 × ⏎⟩}, {@code ⟨3000
   * × ␠⟩}), and when what remains is longer than {@code limit} characters its start and its end are
   * shown around a marker that counts the characters and line breaks left out.
   */
  public static String prompt(String text, int limit) {
    List<Piece> pieces = new ArrayList<>();
    int length = text.length();
    for (int i = 0; i < length; ) {
      int c = text.codePointAt(i);
      int start = i;
      int count = 0;
      while (i < length && text.codePointAt(i) == c) {
        i += Character.charCount(c);
        count++;
      }
      if (count >= RUN && (c == ' ' || isHidden(c))) {
        String sign = c == ' ' ? "␠" : sign(c);
        pieces.add(new Piece("⟨" + count + " × " + sign + "⟩", count, c == '\n' ? count : 0));
      } else {
        // Below a run's length: each character by itself.
        for (int j = start; j < i; j += Character.charCount(c)) {
          pieces.add(new Piece(visible(c), 1, c == '\n' ? 1 : 0));
        }
      }
    }
    int shown = pieces.stream().mapToInt(p -> p.shown().length()).sum();
    if (shown <= limit) {
      StringBuilder out = new StringBuilder(shown);
      pieces.forEach(p -> out.append(p.shown()));
      return out.toString();
    }
    int headBudget = limit * 2 / 3;
    int tailBudget = limit - headBudget;
    StringBuilder head = new StringBuilder();
    int first = 0;
    while (first < pieces.size()
        && head.length() + pieces.get(first).shown().length() <= headBudget) {
      head.append(pieces.get(first++).shown());
    }
    List<String> tail = new ArrayList<>();
    int tailLength = 0;
    int last = pieces.size();
    while (last > first && tailLength + pieces.get(last - 1).shown().length() <= tailBudget) {
      String part = pieces.get(--last).shown();
      tail.addFirst(part);
      tailLength += part.length();
    }
    long characters = 0;
    long breaks = 0;
    for (Piece piece : pieces.subList(first, last)) {
      characters += piece.characters();
      breaks += piece.lineBreaks();
    }
    StringBuilder out = new StringBuilder(head);
    out.append(" ⟨… ")
        .append(String.format(Locale.ROOT, "%,d", characters))
        .append(characters == 1 ? " character" : " characters");
    if (breaks > 0) {
      out.append(String.format(Locale.ROOT, " (%,d line break%s)", breaks, breaks == 1 ? "" : "s"));
    }
    out.append(" not shown …⟩ ");
    tail.forEach(out::append);
    return out.toString();
  }

  /**
   * The value as compact JSON in which every {@link #isHidden hidden} character is written as a
   * {@code \}{@code u} escape, so that JSON printed to a terminal cannot drive or disguise it
   * either; the JSON means exactly the same.
   */
  public static String json(Object value) {
    String json = Json.write(value);
    if (isClean(json)) {
      return json;
    }
    // Outside its strings compact JSON is ASCII without controls, so every hidden character is
    // inside a string, where its escape means the same.
    StringBuilder out = new StringBuilder(json.length() + 32);
    json.codePoints()
        .forEach(
            c -> {
              if (isHidden(c)) {
                for (char unit : Character.toChars(c)) {
                  out.append(String.format(Locale.ROOT, "\\u%04X", (int) unit));
                }
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  private record Piece(String shown, int characters, int lineBreaks) {}

  private static String visible(int c) {
    return isHidden(c) ? sign(c) : Character.toString(c);
  }

  private static void appendVisible(StringBuilder out, int c) {
    if (isHidden(c)) {
      out.append(sign(c));
    } else {
      out.appendCodePoint(c);
    }
  }
}
