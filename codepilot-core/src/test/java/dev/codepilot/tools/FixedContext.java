package dev.codepilot.tools;

import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.hooks.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tool context without a runtime, for calling a tool directly. */
final class FixedContext implements ToolContext {

  private final Workspace workspace;
  private final RuntimeConfig runtime;
  private final Map<String, Map<String, Object>> toolSettings;
  private final BackgroundProcesses processes = new BackgroundProcesses();
  final List<String> appended = new ArrayList<>();

  FixedContext(Path workDir, Map<String, Map<String, Object>> toolSettings) {
    this.workspace = new Workspace(workDir, false);
    this.runtime = RuntimeConfig.defaults(workDir);
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
  public void appendExecution(String text) {
    appended.add(text);
  }

  @Override
  public Object emit(Event event) {
    return null;
  }

  @Override
  public String askUser(String question) {
    return "";
  }

  @Override
  public void finish(String summary) {
  }

  @Override
  public BackgroundProcesses backgroundProcesses() {
    return processes;
  }
}
