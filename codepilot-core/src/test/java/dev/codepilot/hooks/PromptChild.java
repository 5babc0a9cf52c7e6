package dev.codepilot.hooks;

import dev.codepilot.AgentRuntime;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A program with the runtime's default console handlers, run by {@link ConsoleOutputTest} at a
 * terminal: its model asks for a command that hides its start behind sixty line breaks.
 */
final class PromptChild {

  /** Python text that would set the window title, clear the screen and reorder what follows. */
  static final String HOSTILE = "'\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J\\u202eevil\\u200b\\x08end'";

  private PromptChild() {}

  static AgentConfig gated(Path workDir) {
    return TestAgents.config(
        workDir,
        5,
        Duration.ofSeconds(20),
        20_000,
        List.of(new ToolConfig("run_command", true, Map.of("require_permission", true))));
  }

  public static void main(String[] args) throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(
                TestAgents.block(
                    "run_command('touch SPOOF #' + '\\n' * 60 + 'ls -la')\nthink(" + HOSTILE + ")"),
                TestAgents.block("done(" + HOSTILE + ")"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(gated(Path.of(args[0]))).model(model).consoleOutput(true).build()) {
      runtime.run("list the files");
    }
    System.out.flush();
    System.exit(0);
  }
}
