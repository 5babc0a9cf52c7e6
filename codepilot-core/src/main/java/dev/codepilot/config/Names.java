package dev.codepilot.config;

import dev.codepilot.internal.PythonSyntax;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Name rules of the agent file: Python identifiers, and "did you mean" suggestions. */
final class Names {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Names() {}

  /**
   * True for a name Python accepts as an identifier, kept to ASCII; soft keywords such as {@code
   * match} are identifiers. See {@link PythonSyntax#isIdentifier}.
   */
  static boolean isPythonIdentifier(String name) {
    return PythonSyntax.isIdentifier(name);
  }

  /** True for a name a tool may have; see {@link PythonSyntax#isToolName}. */
  static boolean isToolName(String name) {
    return PythonSyntax.isToolName(name);
  }

  /**
   * Refuses a name that blocks call something by (a tool, an MCP server, a sub-agent) unless it is
   * a valid tool name: {@code <what> '<name>' <why>; <advice>}.
   */
  static void requireCallableName(
      YamlValues values, String field, Node node, String name, String what, String advice)
      throws AgentFileException {
    if (isToolName(name)) {
      return;
    }
    String why =
        isPythonKeyword(name)
            ? "is a Python keyword"
            : name.startsWith("_") ? "starts with '_'" : "is not a Python identifier";
    throw values.error(
        field, node, what + " " + YamlValues.quote(name) + " " + why + "; " + advice);
  }

  /** True for an environment variable name: letters, digits and '_', not starting with a digit. */
  static boolean isEnvironmentName(String name) {
    return ENV_NAME.matcher(name).matches();
  }

  /** True for a keyword or a soft keyword. */
  static boolean isPythonKeyword(String name) {
    return PythonSyntax.isKeyword(name);
  }

  /** True for a module name such as {@code json} or {@code os.path}. */
  static boolean isModuleName(String name) {
    for (String part : name.split("\\.", -1)) {
      if (!isPythonIdentifier(part)) {
        return false;
      }
    }
    return true;
  }

  /** The candidate a mistyped name most likely meant, when one is close enough to be obvious. */
  static Optional<String> closest(String typed, Collection<String> candidates) {
    String lower = typed.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best == null || bestDistance > Math.min(2, Math.max(1, best.length() / 3))) {
      return Optional.empty();
    }
    return Optional.of(best);
  }

  /** Edit distance counting an insertion, deletion, change or swap of neighbours as one edit. */
  private static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 2) {
      return Integer.MAX_VALUE;
    }
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
