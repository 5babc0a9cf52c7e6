package dev.codepilot.tools;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tools a runtime offers the model, by name. {@code think} and {@code done} are always
 * present and cannot be replaced or removed. Thread-safe.
 */
public final class ToolRegistry {

  private static final Set<String> FIXED = Set.of("think", "done");

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
   * @throws IllegalArgumentException when a tool of that name exists (use
   *     {@link #register(ToolDefinition, boolean)} with {@code replace} to swap it) or when the
   *     name is {@code think} or {@code done}
   */
  public void register(ToolDefinition tool) {
    register(tool, false);
  }

  /** Adds a tool, replacing one of the same name when {@code replace} is true. */
  public synchronized void register(ToolDefinition tool, boolean replace) {
    Objects.requireNonNull(tool, "tool");
    String name = PythonNames.requireToolName(tool.name());
    if (FIXED.contains(name)) {
      throw new IllegalArgumentException("'" + name + "' is built into every runtime and cannot be replaced");
    }
    if (!replace && tools.containsKey(name)) {
      throw new IllegalArgumentException("a tool named '" + name
          + "' is already registered; pass replace=true to replace it");
    }
    tools.put(name, tool);
    version.incrementAndGet();
  }

  /** Removes a tool; returns false when there was none of that name. */
  public synchronized boolean unregister(String name) {
    if (FIXED.contains(name)) {
      throw new IllegalArgumentException("'" + name + "' is built into every runtime and cannot be removed");
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

  /** A number that changes whenever a tool is added, replaced or removed. */
  public long version() {
    return version.get();
  }
}
