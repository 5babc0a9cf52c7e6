package dev.codepilot;

import dev.codepilot.config.SubAgentConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.RunObserver;
import dev.codepilot.tools.PyType;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolException;
import dev.codepilot.tools.ToolInvocation;
import dev.codepilot.tools.ToolParameter;
import java.util.List;
import java.util.Objects;

/**
 * A sub-agent as the parent's blocks see it: a function {@code name(task)} that runs the sub-agent
 * to its end and returns its summary, or raises {@code AgentError} with the reason when it ends
 * otherwise.
 *
 * <p>The sub-agent is built at its first call and kept for the parent's life, so its history (with
 * {@link SubAgentConfig.SessionMode#INHERIT}) and its Python namespace carry over from one call to
 * the next. Its events reach the parent's hooks as {@link Event.SubAgent}; its permission requests
 * go to the parent's gate, and its questions to the parent's ask-user handler, each naming it;
 * aborting the parent aborts it; its tokens count in the parent's run. A sub-agent with no {@link
 * RunObserver} of its own gets the parent's {@link RunObserver#forSubAgent}, so that a traced
 * parent traces its sub-agents too.
 */
final class SubAgentTool implements ToolDefinition {

  /** Makes the sub-agent's runtime, at its first call. */
  @FunctionalInterface
  interface Factory {
    AgentRuntime create() throws Exception;
  }

  private final String name;
  private final String description;
  private final Factory factory;
  private final SubAgentConfig.SessionMode session;
  private final AgentRuntime parent;
  private AgentRuntime child;

  SubAgentTool(
      String name,
      String description,
      Factory factory,
      SubAgentConfig.SessionMode session,
      AgentRuntime parent) {
    this.name = Objects.requireNonNull(name, "name");
    this.description = Objects.requireNonNull(description, "description");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.session = Objects.requireNonNull(session, "session");
    this.parent = Objects.requireNonNull(parent, "parent");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<ToolParameter> parameters() {
    return List.of(ToolParameter.required("task", PyType.STR));
  }

  @Override
  public String signature() {
    return name + "(task: str) -> str";
  }

  @Override
  public Object invoke(ToolInvocation invocation) throws Exception {
    String task = invocation.string("task");
    if (task.isBlank()) {
      throw ToolException.valueError(name + "(): the task must not be empty");
    }
    AgentRuntime runtime = child();
    if (session == SubAgentConfig.SessionMode.FRESH && !runtime.messages().isEmpty()) {
      runtime.reset();
    }
    RunResult result;
    parent.childStarted(runtime);
    try {
      result = runtime.run(task);
    } finally {
      parent.childEnded(runtime);
    }
    invocation.context().addUsage(result.usage());
    if (result.finished()) {
      return result.summary().orElse("");
    }
    String reason =
        switch (result.outcome()) {
          case MAX_STEPS ->
              "it reached its step limit ("
                  + result.steps()
                  + " steps) without"
                  + " calling done()";
          case ABORTED -> "it was aborted";
          case FAILED -> "it failed: " + result.error().orElse("no reason given");
          case FINISHED -> "it finished";
        };
    throw new ToolException("AgentError", "sub-agent '" + name + "' did not finish: " + reason);
  }

  /** The sub-agent's runtime, made and wired to the parent at the first call. */
  private synchronized AgentRuntime child() throws Exception {
    if (child == null) {
      AgentRuntime made = factory.create();
      made.hooks()
          .on(
              Event.class,
              event ->
                  parent
                      .hooks()
                      .emit(
                          event instanceof Event.SubAgent sub
                              ? sub.under(name)
                              : new Event.SubAgent(name, event)));
      made.setPermissionGate(
          request ->
              parent.decideForChild(
                  new Event.PermissionRequest(
                      name + "/" + request.tool(), name + ": " + request.description())));
      made.setAskUserHandler(question -> parent.askForChild(name + " asks: " + question));
      // A child with no observers of its own is followed by the parent's (tracing, metrics),
      // so that its runs appear inside the call that started them.
      if (made.hooks().observer() == RunObserver.NONE) {
        RunObserver observer = parent.hooks().observer().forSubAgent(name);
        if (observer != RunObserver.NONE) {
          made.hooks().addObserver(observer);
        }
      }
      child = made;
    }
    return child;
  }

  /** Closes the sub-agent's runtime, if it was made. */
  synchronized void close() {
    if (child != null) {
      child.close();
    }
  }
}
