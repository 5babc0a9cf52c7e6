package dev.codepilot.loop;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.HookSystem;
import dev.codepilot.model.Usage;
import dev.codepilot.tools.AskUserHandler;
import dev.codepilot.tools.BackgroundProcesses;
import dev.codepilot.tools.ToolContext;
import dev.codepilot.tools.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@link ToolContext} of one step: it collects the tools' results and the done() call. */
final class StepContext implements ToolContext {

  private final AgentConfig config;
  private final Workspace workspace;
  private final HookSystem hooks;
  private final AskUserHandler askUser;
  private final BackgroundProcesses processes;
  private final List<String> results = new ArrayList<>();
  private String summary;
  private Usage toolUsage = Usage.NONE;

  StepContext(
      AgentConfig config,
      Workspace workspace,
      HookSystem hooks,
      AskUserHandler askUser,
      BackgroundProcesses processes) {
    this.config = config;
    this.workspace = workspace;
    this.hooks = hooks;
    this.askUser = askUser;
    this.processes = processes;
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
    return config.tool(toolName).orElseGet(() -> ToolConfig.enabled(toolName));
  }

  @Override
  public synchronized void appendExecution(String text) {
    results.add(text);
  }

  @Override
  public Object emit(Event event) {
    return hooks.emit(event);
  }

  @Override
  public synchronized void addUsage(Usage usage) {
    toolUsage = toolUsage.plus(usage);
  }

  /** The tokens this step's tools spent on model calls of their own. */
  synchronized Usage toolUsage() {
    return toolUsage;
  }

  @Override
  public boolean requestPermission(Event.PermissionRequest request) {
    return hooks.requestPermission(request);
  }

  @Override
  public String askUser(String question) {
    hooks.emit(new Event.AskUser(question));
    try {
      String answer = askUser.answer(question);
      return answer == null ? "" : answer;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    } catch (Exception e) {
      hooks.emit(new Event.RuntimeError("the ask-user handler failed: " + e));
      return "";
    }
  }

  @Override
  public synchronized void finish(String text) {
    summary = text;
  }

  @Override
  public BackgroundProcesses backgroundProcesses() {
    return processes;
  }

  synchronized List<String> results() {
    return List.copyOf(results);
  }

  synchronized Optional<String> summary() {
    return Optional.ofNullable(summary);
  }
}
