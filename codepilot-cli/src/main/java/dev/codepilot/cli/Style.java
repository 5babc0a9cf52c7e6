package dev.codepilot.cli;

/**
 * ANSI colours for a terminal, or plain text: colours only when the output is a terminal and {@code
 * NO_COLOR} is unset or empty (see no-color.org).
 */
record Style(boolean color) {

  static final Style PLAIN = new Style(false);

  /** Colours when {@code terminal} is true and the user has not asked for none. */
  static Style forOutput(boolean terminal) {
    String noColor = System.getenv("NO_COLOR");
    return new Style(terminal && (noColor == null || noColor.isEmpty()));
  }

  String bold(String text) {
    return paint("1", text);
  }

  String dim(String text) {
    return paint("2", text);
  }

  String red(String text) {
    return paint("31", text);
  }

  String boldRed(String text) {
    return paint("1;31", text);
  }

  String green(String text) {
    return paint("32", text);
  }

  String yellow(String text) {
    return paint("33", text);
  }

  String cyan(String text) {
    return paint("36", text);
  }

  String magenta(String text) {
    return paint("35", text);
  }

  private String paint(String code, String text) {
    if (!color || text.isEmpty()) {
      return text;
    }
    // Re-open the style after each line break so that folded text keeps its colour.
    return "\u001b["
        + code
        + "m"
        + text.replace("\n", "\u001b[0m\n\u001b[" + code + "m")
        + "\u001b[0m";
  }
}
