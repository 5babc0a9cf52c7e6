package dev.codepilot.testing;

import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.tools.BackgroundProcesses;
import dev.codepilot.tools.ToolContext;
import dev.codepilot.tools.Workspace;
import java.nio.file.Path;
import java.util.Map;

/**
 * A tool context without a runtime, for calling tools or the sandbox directly: default runtime
 * settings, events and output go nowhere, questions get an empty answer.
 */
public final class FixedContext implements ToolContext {

  private final Workspace workspace;
  private final RuntimeConfig runtime;
  private final Map<String, Map<String, Object>> toolSettings;
  private final BackgroundProcesses processes = new BackgroundProcesses();

  /** A confined workspace at {@code workDir}, every tool enabled with no settings. */
  public FixedContext(Path workDir) {
    this(new Workspace(workDir, false), Map.of());
  }

  /** As {@link #FixedContext(Path)}, with settings for some tools by name. */
  public FixedContext(Path workDir, Map<String, Map<String, Object>> toolSettings) {
    this(new Workspace(workDir, false), toolSettings);
  }

  /** The given workspace, every tool enabled with no settings. */
  public FixedContext(Workspace workspace) {
    this(workspace, Map.of());
  }

  private FixedContext(Workspace workspace, Map<String, Map<String, Object>> toolSettings) {
    this.workspace = workspace;
    this.runtime = RuntimeConfig.defaults(workspace.root());
    this.toolSettings = toolSettings;
  }

  @Override
  public Workspace workspace() {
    return workspace;
  }

  @Override
  public RuntimeConfig runtimeConfig() {
    return runtime;
  }

  @Override
  public ToolConfig toolConfig(String toolName) {
    return new ToolConfig(toolName, true, toolSettings.getOrDefault(toolName, Map.of()));
  }

  @Override
  public void appendExecution(String text) {}

  @Override
  public Object emit(Event event) {
    return null;
  }

  @Override
  public String askUser(String question) {
    return "";
  }

  @Override
  public void finish(String summary) {}

  @Override
  public BackgroundProcesses backgroundProcesses() {
    return processes;
  }
}
