package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.ConsolePrompt;
import dev.codepilot.hooks.Event;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.internal.Terminals;
import java.util.Optional;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * Who answers permission requests and {@code ask_user} questions: {@code --yes} approves every
 * request; a person at a terminal is asked inline; otherwise requests are denied and questions get
 * an empty answer, and the view says so. Ctrl-C at such a question denies it and stops the run
 * after its step.
 */
final class Interaction {

  /** Asks one question; empty when nobody can answer. */
  @FunctionalInterface
  interface Prompter {
    Optional<String> ask(String prompt);

    Prompter NOBODY = prompt -> Optional.empty();
  }

  private final boolean approveAll;
  private final Prompter prompter;
  private final boolean canAsk;
  private final Notes notes;

  /** Where the outcome of a question is reported. */
  interface Notes {
    void note(String text, boolean good);
  }

  private Interaction(boolean approveAll, Prompter prompter, boolean canAsk, Notes notes) {
    this.approveAll = approveAll;
    this.prompter = prompter;
    this.canAsk = canAsk;
    this.notes = notes;
  }

  /** Asks through the console's terminal, reporting under the console renderer's events. */
  static Interaction forConsole(boolean approveAll, Console console, ConsoleRenderer renderer) {
    return new Interaction(approveAll, console::ask, console.interactive(), renderer::note);
  }

  /**
   * For {@code --json}: standard output carries only events, so outcomes are reported on standard
   * error, and a person at a terminal is asked through the system console.
   */
  static Interaction forJson(boolean approveAll) {
    java.io.Console terminal = Terminals.interactiveConsole().orElse(null);
    Terminal relayed = Console.relayedTerminal();
    Prompter prompter;
    if (relayed != null) {
      // In the daemon: the client's terminal, relayed.
      LineReader reader = Console.answerReader(relayed);
      prompter = prompt -> Console.answer(reader, prompt);
    } else if (terminal != null) {
      prompter = prompt -> Optional.ofNullable(terminal.readLine("%s", prompt));
    } else {
      prompter = Prompter.NOBODY;
    }
    return new Interaction(
        approveAll,
        prompter,
        terminal != null || relayed != null,
        (text, good) -> {
          if (!good) {
            Console.stderr().println("codepilot: " + TerminalText.line(text.strip()));
          }
        });
  }

  void attach(AgentRuntime runtime) {
    runtime.onPermissionRequest(request -> decide(runtime, request));
    runtime.setAskUserHandler(question -> answer(runtime));
  }

  private boolean decide(AgentRuntime runtime, Event.PermissionRequest request) {
    if (approveAll) {
      notes.note("✔ approved (--yes)", true);
      return true;
    }
    if (!canAsk) {
      notes.note(
          "✖ denied: no terminal to ask (run with --yes to approve): "
              + TerminalText.prompt(request.description()),
          false);
      return false;
    }
    try {
      Optional<String> answer = prompter.ask("  Allow? [y/N] ");
      boolean approved = answer.isPresent() && ConsolePrompt.isYes(answer.get());
      notes.note(approved ? "✔ approved" : "✖ denied", approved);
      return approved;
    } catch (UserInterruptException e) {
      runtime.abort();
      notes.note("✖ denied; stopping after this step (Ctrl-C)", false);
      return false;
    }
  }

  private String answer(AgentRuntime runtime) {
    if (!canAsk) {
      notes.note("(no terminal to ask: the answer is empty)", false);
      return "";
    }
    try {
      return prompter.ask("  answer › ").orElse("");
    } catch (UserInterruptException e) {
      runtime.abort();
      notes.note("(no answer; stopping after this step: Ctrl-C)", false);
      return "";
    }
  }
}
