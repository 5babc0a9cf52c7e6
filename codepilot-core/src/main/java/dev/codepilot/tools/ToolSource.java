package dev.codepilot.tools;

import java.util.List;

/**
 * Tools that come from outside the runtime, such as the tools of the agent file's MCP servers.
 * A source is opened by its {@link ToolSourceProvider} when the runtime is built, may get ready
 * in the background, and is closed with the runtime.
 *
 * <p>A tool of a source may have a dotted name, {@code server.tool}: blocks then call it as a
 * method of an object named {@code server}, and the system prompt lists it under that server.
 */
public interface ToolSource extends AutoCloseable {

  /**
   * The tools, waiting until the source is ready.
   *
   * @throws ToolSourceException when the source cannot be started or reached; the message names
   *     what failed and why
   */
  List<ToolDefinition> tools();

  /** Stops whatever the source started (processes, connections); never throws. */
  @Override
  void close();
}
