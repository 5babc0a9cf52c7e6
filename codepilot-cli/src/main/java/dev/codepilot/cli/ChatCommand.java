package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.session.InMemorySession;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.reader.UserInterruptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code codepilot chat AGENT_FILE}: a conversation with an agent, one task after another on one
 * history, so each task can build on the ones before.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Talk to an agent: each line is a task, run on one shared history.",
      "Type 'reset' (or 'clear') to wipe the history, 'quit' (or 'exit', or Ctrl-D) to leave.",
      "Ctrl-C clears the line at the prompt and stops a run after its current step.",
      "Without --session-id the history lasts until you quit; with it, it is kept in a file"
          + " and resumed next time."
    })
final class ChatCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "AGENT_FILE", description = "The agent's YAML file.")
  Path agentFile;

  @Option(
      names = "--session-id",
      paramLabel = "ID",
      description = "Keep the conversation in a session file with this id and resume it next time.")
  String sessionId;

  @Option(
      names = "--session-dir",
      paramLabel = "DIR",
      description =
          "Where session files are kept (default: ~/.codepilot/sessions); given"
              + " alone, the chat is kept there under the agent's name.")
  Path sessionDir;

  @Option(
      names = "--session-store",
      paramLabel = "URL",
      description =
          "Keep the conversation in this session database, e.g."
              + " jdbc:postgresql://host/db?user=u&password=p, under --session-id or the agent's"
              + " name.")
  String sessionStore;

  @Option(names = "--yes", description = "Approve every permission request.")
  boolean yes;

  @Override
  public Integer call() {
    SessionOptions session = new SessionOptions();
    // Naming a session directory asks for a file session too (under the agent's default id);
    // otherwise the agent file's session: section decides.
    session.backend =
        sessionStore == null && (sessionId != null || sessionDir != null) ? "file" : null;
    session.store = sessionStore;
    session.sessionId = sessionId;
    session.sessionDir = sessionDir;
    try (Console console = Console.open();
        AgentRuntime runtime = Runtimes.open(agentFile, session, null, null)) {
      ConsoleRenderer view = new ConsoleRenderer(console, false);
      view.attach(runtime);
      Interaction.forConsole(yes, console, view).attach(runtime);
      AtomicInteger presses = new AtomicInteger();
      console.onInterrupt(() -> interrupt(console, runtime, presses));
      greet(console, runtime);
      Path history = Path.of(System.getProperty("user.home"), ".codepilot", "history");
      Style style = console.style();
      String prompt = style.bold(style.cyan("you ›")) + " ";
      while (true) {
        Optional<String> line;
        try {
          line = console.readTask(prompt, history);
        } catch (UserInterruptException e) {
          continue;
        }
        if (line.isEmpty()) {
          break;
        }
        String task = line.get().strip();
        String word = task.toLowerCase(Locale.ROOT);
        if (task.isEmpty()) {
          continue;
        }
        if (word.equals("quit") || word.equals("exit")) {
          break;
        }
        if (word.equals("reset") || word.equals("clear")) {
          runtime.reset();
          console.lines().println(style.dim("History cleared. Starting fresh."));
          continue;
        }
        presses.set(0);
        RunResult result = runtime.run(task);
        view.finish(result);
        console.lines().println("");
      }
      console
          .lines()
          .println(
              !(runtime.session() instanceof InMemorySession)
                  ? style.dim(
                      "Session '"
                          + TerminalText.line(runtime.session().sessionId())
                          + "' saved. Goodbye.")
                  : style.dim("Goodbye."));
      return ExitCodes.DONE;
    }
  }

  private static void greet(Console console, AgentRuntime runtime) {
    Style style = console.style();
    String name = TerminalText.line(runtime.config().name());
    String workDir = TerminalText.line(runtime.config().runtime().workDir().toString());
    console
        .lines()
        .println(style.bold("CodePilot chat · " + name) + style.dim(" · workspace " + workDir));
    console
        .lines()
        .println(
            style.dim(
                "Type a task. 'reset' clears the history, 'quit' or"
                    + " Ctrl-D leaves, Ctrl-C stops a run."));
    SessionBanner.resumeLine(runtime).ifPresent(line -> console.lines().println(style.dim(line)));
    console.lines().println("");
  }

  /**
   * Ctrl-C during a run stops it after its current step; a second press also ends the commands the
   * agent is running, so that the step finishes now. The chat itself goes on.
   */
  private static void interrupt(Console console, AgentRuntime runtime, AtomicInteger presses) {
    if (!runtime.isRunning()) {
      if (!console.interactive()) {
        // Reading piped input: nothing else would stop the chat.
        Console.stdout().flush();
        Exits.exit(ExitCodes.FAILED);
      }
      return;
    }
    Style style = console.style();
    console.live().ifPresent(LiveView::idle);
    if (presses.incrementAndGet() == 1) {
      runtime.abort();
      console
          .lines()
          .println(
              style.yellow(
                  "⏸ Stopping after this step… (Ctrl-C again ends"
                      + " the agent's running commands)"));
    } else {
      runtime.backgroundProcesses().stopAll();
      console.lines().println(style.yellow("✖ Ended the agent's running commands."));
    }
  }
}
