package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.EventJson;
import dev.codepilot.hooks.EventType;
import dev.codepilot.internal.TerminalText;
import java.io.PrintStream;

/** {@code --json}: one JSON object per event on stdout, in the order the events fire. */
final class JsonLinesRenderer implements EventRenderer {

  private final PrintStream out;

  JsonLinesRenderer(PrintStream out) {
    this.out = out;
  }

  @Override
  public void attach(AgentRuntime runtime) {
    for (EventType type : EventType.values()) {
      runtime
          .hooks()
          .observe(
              type,
              event -> {
                synchronized (out) {
                  out.println(EventJson.toLine(event));
                  out.flush();
                }
              });
    }
  }

  @Override
  public void finish(RunResult result) {
    result
        .error()
        .ifPresent(
            error -> Console.stderr().println("codepilot: " + TerminalText.block(error, "  ")));
    Console.stderr().println("codepilot: " + ConsoleRenderer.closingLine(result));
  }
}
