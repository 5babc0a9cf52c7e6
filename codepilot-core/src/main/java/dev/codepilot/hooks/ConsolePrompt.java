package dev.codepilot.hooks;

import dev.codepilot.internal.Terminals;
import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

/**
 * Questions asked at the terminal when no application handler answers them. With no terminal
 * attached nothing is asked: permission is denied and questions get no answer.
 */
public final class ConsolePrompt {

  private ConsolePrompt() {
  }

  /** Asks {@code Approve? [y/N]} after the description; only "y" or "yes" approves. */
  public static boolean confirm(PrintStream out, String description) {
    Console console = Terminals.interactiveConsole().orElse(null);
    if (console == null) {
      return false;
    }
    out.println(description);
    out.flush();
    String answer = console.readLine("Approve? [y/N]: ");
    return answer != null && isYes(answer);
  }

  /** Reads one line from the terminal, or nothing when there is none. */
  public static Optional<String> ask(PrintStream out, String question) {
    Console console = Terminals.interactiveConsole().orElse(null);
    if (console == null) {
      return Optional.empty();
    }
    out.flush();
    String answer = console.readLine("%s", "Answer: ");
    return Optional.ofNullable(answer);
  }

  /** True for "y" and "yes" in any case, surrounding blanks ignored. */
  public static boolean isYes(String answer) {
    String a = answer.strip().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }
}
