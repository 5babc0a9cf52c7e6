package dev.codepilot.mcp;

import dev.codepilot.AgentRuntime;
import java.nio.file.Path;

/**
 * A JVM that builds a runtime from the agent file in {@code args[0]}, waits for its MCP servers to
 * start, says READY and then waits to be killed. Run by {@link McpLifecycleTest}.
 */
public final class OrphanChild {

  private OrphanChild() {}

  public static void main(String[] args) throws Exception {
    AgentRuntime runtime = AgentRuntime.builder(Path.of(args[0])).consoleOutput(false).build();
    runtime.registerToolSources();
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(120_000);
    runtime.close();
  }
}
