package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;

/** Shows a runtime's events to the user. */
interface EventRenderer {

  /** Starts showing the runtime's events. */
  void attach(AgentRuntime runtime);

  /** Shows how the run ended. */
  void finish(RunResult result);
}
