package dev.codepilot.internal;

import java.util.Set;

/**
 * The one definition of Python's reserved words and of the names CodePilot accepts for what the
 * model calls: tools (in code and in the agent file) and their parameters.
 *
 * <p>Python 3.12's {@code keyword.kwlist} are the {@linkplain #KEYWORDS keywords}: never
 * identifiers. Its {@code keyword.softkwlist} are the {@linkplain #SOFT_KEYWORDS soft keywords}
 * ({@code _}, {@code case}, {@code match}, {@code type}): legal identifiers, so a module part may
 * be one, but a tool or parameter may not be named so, as {@code type} would hide the built-in and
 * {@code match}/{@code case} read as statements to a model.
 */
public final class PythonSyntax {

  /** Python's hard keywords, {@code keyword.kwlist}. */
  public static final Set<String> KEYWORDS =
      Set.of(
          "False",
          "None",
          "True",
          "and",
          "as",
          "assert",
          "async",
          "await",
          "break",
          "class",
          "continue",
          "def",
          "del",
          "elif",
          "else",
          "except",
          "finally",
          "for",
          "from",
          "global",
          "if",
          "import",
          "in",
          "is",
          "lambda",
          "nonlocal",
          "not",
          "or",
          "pass",
          "raise",
          "return",
          "try",
          "while",
          "with",
          "yield");

  /** Python's soft keywords, {@code keyword.softkwlist}. */
  public static final Set<String> SOFT_KEYWORDS = Set.of("_", "case", "match", "type");

  private PythonSyntax() {}

  /** True for a hard or a soft keyword. */
  public static boolean isKeyword(String name) {
    return KEYWORDS.contains(name) || SOFT_KEYWORDS.contains(name);
  }

  /**
   * True for a name Python accepts as an identifier, kept to ASCII: letters, digits and
   * underscores, not starting with a digit, and not a hard keyword (soft keywords are identifiers).
   */
  public static boolean isIdentifier(String name) {
    if (name == null || name.isEmpty() || KEYWORDS.contains(name)) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      boolean digit = c >= '0' && c <= '9';
      if (!(letter || (digit && i > 0))) {
        return false;
      }
    }
    return true;
  }

  /**
   * True for a name a tool or a tool's parameter may have: an ASCII identifier starting with a
   * letter that is neither a keyword nor a soft keyword.
   */
  public static boolean isToolName(String name) {
    return isIdentifier(name) && !name.startsWith("_") && !SOFT_KEYWORDS.contains(name);
  }
}
