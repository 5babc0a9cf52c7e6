package dev.codepilot.internal;

/** Text helpers shared by the loop, the tools and the console output. */
public final class Text {

  private Text() {}

  /**
   * Cuts {@code text} to at most {@code limit} characters, keeping its head and tail and putting a
   * {@code [... N chars truncated ...]} marker between them.
   */
  public static String truncate(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    int cut = text.length() - limit;
    int head = limit * 2 / 3;
    int tail = limit - head;
    return text.substring(0, head)
        + "\n[... "
        + cut
        + " chars truncated ...]\n"
        + text.substring(text.length() - tail);
  }

  /** The first {@code limit} characters, with an ellipsis when something was cut. */
  public static String firstChars(String text, int limit) {
    return text.length() <= limit ? text : text.substring(0, limit) + "…";
  }

  /** The number of lines: zero for empty text, a final line without newline counts. */
  public static int lineCount(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    int lines = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    return text.endsWith("\n") ? lines : lines + 1;
  }
}
