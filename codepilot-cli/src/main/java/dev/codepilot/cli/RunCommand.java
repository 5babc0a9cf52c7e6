package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code codepilot run AGENT_FILE TASK}: one task, then exit. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run one task with an agent, then exit (0: the agent called done, 1: it did not,"
        + " 2: bad usage or agent file).")
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "AGENT_FILE", description = "The agent's YAML file.")
  Path agentFile;

  @Parameters(index = "1", paramLabel = "TASK", description = "What the agent should do.")
  String task;

  @Mixin
  SessionOptions sessionOptions;

  @Option(names = "--json", description = "Print one JSON object per event (JSON Lines) and nothing else on stdout.")
  boolean json;

  @Option(names = "--yes", description = "Approve every permission request.")
  boolean yes;

  @Option(names = "--max-steps", paramLabel = "N", description = "Override runtime.max_steps.")
  Integer maxSteps;

  @Option(names = "--record", paramLabel = "FILE", description = "Write the model's replies to a replay cassette.")
  Path record;

  @Override
  public Integer call() {
    if (maxSteps != null && maxSteps < 1) {
      throw new UsageException("--max-steps must be at least 1");
    }
    Interaction interaction = Interaction.forTerminal(yes);
    EventRenderer renderer = json ? new JsonLinesRenderer(System.out) : ConsoleRenderer.forStdout();
    try (AgentRuntime runtime = Runtimes.open(agentFile, sessionOptions, maxSteps, record)) {
      renderer.attach(runtime);
      interaction.attach(runtime);
      RunResult result = runtime.run(task);
      renderer.finish(result);
      return result.finished() ? ExitCodes.DONE : ExitCodes.FAILED;
    }
  }
}
