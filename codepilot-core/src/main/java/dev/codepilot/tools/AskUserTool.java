package dev.codepilot.tools;

import java.util.List;

/**
 * {@code ask_user(question)}: asks the user and returns the answer. ASK_USER fires first; the
 * runtime's {@link AskUserHandler} answers (by default the console when a terminal is attached,
 * else ""). The execution result records the question and the answer.
 */
final class AskUserTool implements ToolDefinition {

  static final String NAME = "ask_user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Ask the user a question and return the answer as a str (\"\" when there is no"
        + " answer). Use it when the task is unclear or a decision is the user's.";
  }

  @Override
  public List<ToolParameter> parameters() {
    return List.of(ToolParameter.required("question", PyType.STR));
  }

  @Override
  public String describe(ToolInvocation call) {
    return "Ask the user: " + call.get("question");
  }

  @Override
  public Object invoke(ToolInvocation call) throws ToolException {
    String question = call.string("question");
    String answer = call.context().askUser(question);
    return new ToolOutput(
        answer,
        "[ask_user] Q: " + question + "\nA: " + (answer.isEmpty() ? "(no answer)" : answer));
  }
}
