package dev.codepilot.tools;

import java.util.List;
import java.util.Optional;

/**
 * Tools that come from outside the runtime, such as the tools of one of the agent file's MCP
 * servers. A source is opened by its {@link ToolSourceProvider} when the runtime is built, may get
 * ready in the background, and is closed with the runtime.
 *
 * <p>A tool of a source may have a dotted name, {@code server.tool}: blocks then call it as a
 * method of an object named {@code server}, and the system prompt lists it under that server. A
 * source that names its {@link #group()} lets runs start before it is ready: the prompt says it is
 * starting, and the first block that uses the name waits for it.
 */
public interface ToolSource extends AutoCloseable {

  /**
   * The tools, waiting until the source is ready.
   *
   * @throws ToolSourceException when the source cannot be started or reached; the message names
   *     what failed and why
   */
  List<ToolDefinition> tools();

  /**
   * The name blocks reach this source's tools through ({@code server} in {@code server.tool}),
   * known before the source is ready. Empty (the default) for a source that must be ready before a
   * run starts.
   */
  default Optional<String> group() {
    return Optional.empty();
  }

  /** Whether {@link #tools()} returns (or throws) without waiting. True by default. */
  default boolean isReady() {
    return true;
  }

  /** Stops whatever the source started (processes, connections); never throws. */
  @Override
  void close();
}
