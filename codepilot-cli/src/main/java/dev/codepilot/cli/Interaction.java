package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.ConsolePrompt;
import dev.codepilot.internal.Terminals;
import java.io.Console;
import java.util.Optional;

/**
 * Who answers permission requests and {@code ask_user} questions: {@code --yes} approves
 * everything; a person at a terminal is asked inline; otherwise requests are denied and
 * questions get an empty answer.
 */
final class Interaction {

  private final boolean approveAll;
  private final Console console;

  private Interaction(boolean approveAll, Console console) {
    this.approveAll = approveAll;
    this.console = console;
  }

  static Interaction forTerminal(boolean approveAll) {
    return new Interaction(approveAll, Terminals.interactiveConsole().orElse(null));
  }

  void attach(AgentRuntime runtime) {
    runtime.onPermissionRequest(request -> {
      if (approveAll) {
        return true;
      }
      if (console == null) {
        return false;
      }
      String answer = console.readLine("Allow %s? [y/N]: ", request.description());
      return answer != null && ConsolePrompt.isYes(answer);
    });
    runtime.setAskUserHandler(question -> ask(question).orElse(""));
  }

  private Optional<String> ask(String question) {
    if (console == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(console.readLine("Your answer: "));
  }
}
