package dev.codepilot.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the bundled agent files, so that every example runs from the repository root (as {@code
 * run.sh} starts them) or from this module's folder. A first argument naming an agent file wins.
 */
final class Examples {

  private Examples() {}

  /** {@code args[0]} when given, else {@code agents/<name>/agent.yaml} of this module. */
  static Path agentFile(String[] args, String name) {
    if (args.length > 0 && args[0].endsWith(".yaml")) {
      return Path.of(args[0]);
    }
    Path fromRoot = Path.of("codepilot-examples", "agents", name, "agent.yaml");
    return Files.exists(fromRoot) ? fromRoot : Path.of("agents", name, "agent.yaml");
  }

  /** Where examples that use file sessions keep them when run by hand: this module's target. */
  static Path sessionDir() {
    Path fromRoot = Path.of("codepilot-examples", "target", "sessions");
    return Files.isDirectory(Path.of("codepilot-examples"))
        ? fromRoot
        : Path.of("target", "sessions");
  }
}
