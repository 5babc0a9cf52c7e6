package dev.codepilot;

import dev.codepilot.sandbox.ContextPool;
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

  private CodePilot() {}

  /**
   * Starts creating the JVM's shared Python engine in the background, if nobody has yet, and
   * returns at once. The engine takes a second or more to create; calling this early (at
   * application start, before loading agent files and models) lets that overlap other work so that
   * the first run starts sooner. Optional: a runtime creates the engine when it needs it.
   */
  public static void prewarm() {
    SandboxEngine.prewarm();
  }

  /**
   * Like {@link #prewarm()}, and from now on keeps {@code interpreters} Python interpreters ready
   * in the background, so that a runtime built later finds its interpreter made (creating one costs
   * about 100 ms of CPU on a warm JVM, much more on a cold one). For hosts that start runtimes over
   * a long life, such as a server or a daemon; a few are enough, as each taken one is replaced.
   * Each ready interpreter holds a few megabytes of heap. Zero stops keeping them.
   *
   * @param interpreters how many to keep ready; zero or more
   * @throws IllegalArgumentException if {@code interpreters} is negative
   */
  public static void prewarm(int interpreters) {
    ContextPool.prewarm(interpreters);
  }
}
