package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code codepilot run AGENT_FILE TASK}: one task, then exit. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run one task with an agent, then exit.",
      "Ctrl-C stops the run after its current step; a second Ctrl-C quits at once."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the agent called done()",
      "1:the run ended otherwise (step limit, Ctrl-C, model failure)",
      "2:bad usage or a bad agent file"
    })
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "AGENT_FILE", description = "The agent's YAML file.")
  Path agentFile;

  @Parameters(index = "1", paramLabel = "TASK", description = "What the agent should do.")
  String task;

  @Mixin SessionOptions sessionOptions;

  @Option(
      names = "--json",
      description = "Print one JSON object per event (JSON Lines) and nothing else on stdout.")
  boolean json;

  @Option(names = "--yes", description = "Approve every permission request.")
  boolean yes;

  @Option(names = "--max-steps", paramLabel = "N", description = "Override runtime.max_steps.")
  Integer maxSteps;

  @Option(
      names = "--record",
      paramLabel = "FILE",
      description = "Write the model's replies to a replay cassette.")
  Path record;

  @Override
  public Integer call() {
    if (maxSteps != null && maxSteps < 1) {
      throw new UsageException("--max-steps must be at least 1");
    }
    try (Console console = json ? Console.plain() : Console.open();
        AgentRuntime runtime = Runtimes.open(agentFile, sessionOptions, maxSteps, record)) {
      EventRenderer renderer;
      Interaction interaction;
      if (json) {
        renderer = new JsonLinesRenderer(Console.stdout());
        interaction = Interaction.forJson(yes);
      } else {
        ConsoleRenderer view = new ConsoleRenderer(console, true);
        renderer = view;
        interaction = Interaction.forConsole(yes, console, view);
        SessionBanner.resumeLine(runtime)
            .ifPresent(line -> console.lines().println(console.style().dim(line)));
      }
      renderer.attach(runtime);
      interaction.attach(runtime);
      stopOnInterrupt(console, runtime);
      RunResult result = runtime.run(task);
      renderer.finish(result);
      return result.finished() ? ExitCodes.DONE : ExitCodes.FAILED;
    }
  }

  /** First Ctrl-C: stop after the current step. Second: end the agent's commands and quit. */
  private void stopOnInterrupt(Console console, AgentRuntime runtime) {
    AtomicInteger presses = new AtomicInteger();
    console.onInterrupt(
        () -> {
          if (presses.incrementAndGet() == 1) {
            runtime.abort();
            say(console, "⏸ Stopping after this step… (Ctrl-C again to quit now)");
          } else {
            say(console, "✖ Quit.");
            runtime.backgroundProcesses().stopAll();
            Console.stdout().flush();
            Exits.halt(ExitCodes.FAILED);
          }
        });
  }

  private void say(Console console, String text) {
    if (json) {
      Console.stderr().println("codepilot: " + text);
    } else {
      console.live().ifPresent(LiveView::idle);
      console.lines().println(console.style().yellow(text));
    }
  }
}
