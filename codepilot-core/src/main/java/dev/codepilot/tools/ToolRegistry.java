package dev.codepilot.tools;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ToolConfig;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tools a runtime offers the model, by name. {@code think} and {@code done} are always present
 * and cannot be replaced or removed. Thread-safe.
 */
public final class ToolRegistry {

  private static final Set<String> FIXED = ToolConfig.ALWAYS_ENABLED;

  private final Map<String, ToolDefinition> tools = new ConcurrentSkipListMap<>();
  private final AtomicLong version = new AtomicLong();

  /** A registry holding only {@code think} and {@code done}. */
  public ToolRegistry() {
    tools.put("think", new ThinkTool());
    tools.put("done", new DoneTool());
  }

  /**
   * Adds a tool.
   *
   * @throws IllegalArgumentException when a tool of that name exists (use {@link
   *     #register(ToolDefinition, boolean)} with {@code replace} to swap it) or when the name is
   *     {@code think} or {@code done}
   */
  public void register(ToolDefinition tool) {
    register(tool, false);
  }

  /** Adds a tool, replacing one of the same name when {@code replace} is true. */
  public synchronized void register(ToolDefinition tool, boolean replace) {
    Objects.requireNonNull(tool, "tool");
    String name = PythonNames.requireToolName(tool.name());
    if (FIXED.contains(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is built into every runtime and cannot be replaced");
    }
    if (!replace && tools.containsKey(name)) {
      throw new IllegalArgumentException(
          "a tool named '" + name + "' is already registered; pass replace=true to replace it");
    }
    tools.put(name, tool);
    version.incrementAndGet();
  }

  /**
   * Adds several tools at once, all or none: when one of them cannot be registered (a name taken
   * without {@code replace}, or {@code think}/{@code done}), none is.
   */
  public synchronized void registerAll(
      Collection<? extends ToolDefinition> batch, boolean replace) {
    Set<String> names = new HashSet<>();
    for (ToolDefinition tool : batch) {
      Objects.requireNonNull(tool, "tool");
      String name = PythonNames.requireToolName(tool.name());
      if (FIXED.contains(name)) {
        throw new IllegalArgumentException(
            "'" + name + "' is built into every runtime and cannot be replaced");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("two of the tools are named '" + name + "'");
      }
      if (!replace && tools.containsKey(name)) {
        throw new IllegalArgumentException(
            "a tool named '" + name + "' is already registered; pass replace=true to replace it");
      }
    }
    for (ToolDefinition tool : batch) {
      register(tool, replace);
    }
  }

  /** Removes a tool; returns false when there was none of that name. */
  public synchronized boolean unregister(String name) {
    if (FIXED.contains(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is built into every runtime and cannot be removed");
    }
    boolean removed = tools.remove(name) != null;
    if (removed) {
      version.incrementAndGet();
    }
    return removed;
  }

  /** The tool of that name. */
  public Optional<ToolDefinition> get(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** Every tool, sorted by name. */
  public List<ToolDefinition> tools() {
    return List.copyOf(tools.values());
  }

  /** The names of every tool, sorted. */
  public List<String> names() {
    return List.copyOf(tools.keySet());
  }

  /**
   * The tools offered to the model under an agent file: every registered tool except those the file
   * lists with {@code enabled: false}. {@code think} and {@code done} are always offered.
   */
  public List<ToolDefinition> offered(AgentConfig config) {
    return tools.values().stream()
        .filter(
            tool ->
                isOffered(
                    tool.name(),
                    config.tool(tool.name()).orElseGet(() -> ToolConfig.enabled(tool.name()))))
        .toList();
  }

  /** Whether a tool configured so is offered; {@code think} and {@code done} always are. */
  static boolean isOffered(String name, ToolConfig config) {
    return FIXED.contains(name) || config.enabled();
  }

  /** A number that changes whenever a tool is added, replaced or removed. */
  public long version() {
    return version.get();
  }
}
