package dev.codepilot.internal;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Optional;

/** Whether a person is at a terminal: the basis for prompting instead of denying. */
public final class Terminals {

  private static final Method IS_TERMINAL = lookup();

  private Terminals() {}

  /**
   * The console when standard input and output are an interactive terminal. On JDK 22 and later
   * {@link System#console()} also returns a console for redirected streams, so its {@code
   * isTerminal()} is asked as well.
   */
  public static Optional<Console> interactiveConsole() {
    Console console = System.console();
    if (console == null) {
      return Optional.empty();
    }
    if (IS_TERMINAL != null) {
      try {
        if (!(Boolean) IS_TERMINAL.invoke(console)) {
          return Optional.empty();
        }
      } catch (ReflectiveOperationException e) {
        return Optional.empty();
      }
    }
    return Optional.of(console);
  }

  private static Method lookup() {
    try {
      return Console.class.getMethod("isTerminal");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
