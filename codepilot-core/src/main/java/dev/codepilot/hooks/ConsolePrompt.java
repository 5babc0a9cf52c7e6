package dev.codepilot.hooks;

import dev.codepilot.internal.TerminalText;
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

  private ConsolePrompt() {}

  /**
   * Asks {@code Approve? [y/N]} after the description; only "y" or "yes" approves. The description
   * is shown as {@link #shown}: on one line, with nothing in it hidden.
   */
  public static boolean confirm(PrintStream out, String description) {
    Console console = Terminals.interactiveConsole().orElse(null);
    if (console == null) {
      return false;
    }
    out.println(shown(description));
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

  /**
   * How a description that someone is asked to approve is shown at a terminal: on one line, with
   * line breaks as {@code ⏎}, escape sequences, other controls, bidi overrides and invisible
   * characters as visible signs, long runs of blanks counted, and a very long description cut in
   * the middle with a count of what is left out. An application that asks on its own terminal shows
   * descriptions this way, so that a command cannot hide what it does behind blank lines or
   * reordered text.
   */
  public static String shown(String description) {
    return TerminalText.prompt(description);
  }

  /** True for "y" and "yes" in any case, surrounding blanks ignored. */
  public static boolean isYes(String answer) {
    String a = answer.strip().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }
}
