package dev.codepilot.tools;

import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.hooks.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The context of one tool call: the step's context, remembering what the call added to the
 * execution result so that TOOL_RESULT can report it.
 */
final class CallContext implements ToolContext {

  private final ToolContext step;
  private final List<String> appended = new ArrayList<>();

  CallContext(ToolContext step) {
    this.step = step;
  }

  @Override
  public Workspace workspace() {
    return step.workspace();
  }

  @Override
  public RuntimeConfig runtimeConfig() {
    return step.runtimeConfig();
  }

  @Override
  public ToolConfig toolConfig(String toolName) {
    return step.toolConfig(toolName);
  }

  @Override
  public synchronized void appendExecution(String text) {
    appended.add(text);
    step.appendExecution(text);
  }

  @Override
  public Object emit(Event event) {
    return step.emit(event);
  }

  @Override
  public void addUsage(dev.codepilot.model.Usage usage) {
    step.addUsage(usage);
  }

  @Override
  public boolean requestPermission(Event.PermissionRequest request) {
    return step.requestPermission(request);
  }

  @Override
  public String askUser(String question) {
    return step.askUser(question);
  }

  @Override
  public void finish(String summary) {
    step.finish(summary);
  }

  @Override
  public BackgroundProcesses backgroundProcesses() {
    return step.backgroundProcesses();
  }

  /** The texts this call added with {@link #appendExecution}, in order. */
  synchronized List<String> appended() {
    return List.copyOf(appended);
  }
}
