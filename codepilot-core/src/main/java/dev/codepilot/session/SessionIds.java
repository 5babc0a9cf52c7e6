package dev.codepilot.session;

import java.util.Locale;
import java.util.Set;

/**
 * The rules for session ids that name files. An id is used verbatim as a file name inside the
 * session directory, so anything that could leave that directory, hide the file, or mean something
 * special to a file system is refused rather than escaped: two different ids must never land on the
 * same file, and no id may point outside the directory.
 */
final class SessionIds {

  static final int MAX_LENGTH = 128;

  static final String RULES =
      "a session id may use only ASCII letters, digits, '-', '_' and '.'"
          + " (1 to "
          + MAX_LENGTH
          + " characters, not starting or ending with '.', no '..', and not"
          + " a Windows device name such as CON, NUL or COM1)";

  /** Names Windows reserves for devices, with or without an extension. */
  private static final Set<String> WINDOWS_DEVICES =
      Set.of(
          "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6",
          "com7", "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
          "lpt8", "lpt9");

  private SessionIds() {}

  /**
   * Returns {@code id} when it is safe as a file name.
   *
   * @throws IllegalArgumentException naming the id, what is wrong with it and the rules
   */
  static String requireValid(String id) {
    if (id == null) {
      throw new IllegalArgumentException("session id is null; " + RULES);
    }
    String problem = problem(id);
    if (problem != null) {
      throw new IllegalArgumentException(
          "invalid session id " + quote(id) + ": " + problem + "; " + RULES);
    }
    return id;
  }

  static boolean isValid(String id) {
    return id != null && problem(id) == null;
  }

  /** What makes {@code id} unusable as a file name, or null when it is fine. */
  private static String problem(String id) {
    if (id.isEmpty()) {
      return "it is empty";
    }
    if (id.length() > MAX_LENGTH) {
      return "it has " + id.length() + " characters";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!isAllowed(c)) {
        return "it contains " + describe(c) + " at index " + i;
      }
    }
    if (id.startsWith(".")) {
      return "it starts with '.'";
    }
    if (id.endsWith(".")) {
      return "it ends with '.'";
    }
    if (id.contains("..")) {
      return "it contains '..'";
    }
    if (isWindowsDevice(id)) {
      return "it is a name Windows reserves for a device";
    }
    return null;
  }

  /**
   * The id a session gets when none is given: the agent name in lower case with spaces as hyphens
   * (as the reference does), then made valid: any other character that is not allowed becomes
   * {@code _}, dots are trimmed from the ends and never doubled, a Windows device name gets a
   * leading {@code _}, the result is cut to {@value #MAX_LENGTH} characters, and a name that would
   * be empty is {@code "default"}.
   */
  static String defaultFor(String agentName) {
    String lower = agentName.toLowerCase(Locale.ROOT).replace(' ', '-');
    StringBuilder id = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (c == '.' && (id.isEmpty() || id.charAt(id.length() - 1) == '.')) {
        continue;
      }
      id.append(isAllowed(c) ? c : '_');
    }
    if (isWindowsDevice(id.toString())) {
      id.insert(0, '_');
    }
    if (id.length() > MAX_LENGTH) {
      id.setLength(MAX_LENGTH);
    }
    while (!id.isEmpty() && id.charAt(id.length() - 1) == '.') {
      id.setLength(id.length() - 1);
    }
    return id.isEmpty() ? "default" : id.toString();
  }

  /** The id in quotes, with control, non-ASCII and quote characters escaped, cut when long. */
  static String quote(String id) {
    StringBuilder out = new StringBuilder("\"");
    int shown = Math.min(id.length(), 64);
    for (int i = 0; i < shown; i++) {
      char c = id.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    out.append('"');
    if (shown < id.length()) {
      out.append("... (").append(id.length()).append(" characters)");
    }
    return out.toString();
  }

  private static boolean isAllowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.';
  }

  private static boolean isWindowsDevice(String id) {
    int dot = id.indexOf('.');
    String base = dot < 0 ? id : id.substring(0, dot);
    return WINDOWS_DEVICES.contains(base.toLowerCase(Locale.ROOT));
  }

  private static String describe(char c) {
    if (c == '/' || c == '\\') {
      return "a path separator '" + c + "'";
    }
    if (c >= 0x20 && c < 0x7f) {
      return "'" + c + "'";
    }
    return String.format("the character U+%04X", (int) c);
  }
}
