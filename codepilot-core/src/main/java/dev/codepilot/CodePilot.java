package dev.codepilot;

import dev.codepilot.sandbox.SandboxEngine;

/**
 * Process-wide entry points of CodePilot that belong to no single runtime.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   CodePilot.prewarm();                   // the Python engine starts while the app starts
 *   AgentConfig config = AgentFile.load(Path.of("agent.yaml"));
 *   ...
 * }
 * }</pre>
 */
public final class CodePilot {

  private CodePilot() {
  }

  /**
   * Starts creating the JVM's shared Python engine in the background, if nobody has yet, and
   * returns at once. The engine takes a second or more to create; calling this early (at
   * application start, before loading agent files and models) lets that overlap other work so
   * that the first run starts sooner. Optional: a runtime creates the engine when it needs it.
   */
  public static void prewarm() {
    SandboxEngine.prewarm();
  }
}
