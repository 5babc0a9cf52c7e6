package dev.codepilot.bench;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.tools.BackgroundProcesses;
import dev.codepilot.tools.ToolContext;
import dev.codepilot.tools.Workspace;

/** A tool context outside a runtime, for timing the sandbox on its own: events go nowhere. */
public final class BenchToolContext implements ToolContext {

  private final AgentConfig config;
  private final Workspace workspace;
  private final BackgroundProcesses processes = new BackgroundProcesses();

  public BenchToolContext(AgentConfig config) {
    this.config = config;
    this.workspace = new Workspace(config.runtime().workDir(), false);
  }

  @Override
  public Workspace workspace() {
    return workspace;
  }

  @Override
  public RuntimeConfig runtimeConfig() {
    return config.runtime();
  }

  @Override
  public ToolConfig toolConfig(String toolName) {
    return ToolConfig.enabled(toolName);
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
