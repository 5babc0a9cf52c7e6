package dev.codepilot.tools;

import dev.codepilot.hooks.Event;
import java.util.List;

/** {@code think(message)}: a side channel to the user; never stored in the history. */
final class ThinkTool implements ControlTool {

  @Override
  public String name() {
    return "think";
  }

  @Override
  public String description() {
    return "Tell the user what you are doing or why, briefly. Shown to the user as it happens;"
        + " not added to the conversation.";
  }

  @Override
  public List<ToolParameter> parameters() {
    return List.of(ToolParameter.required("message", PyType.STR));
  }

  @Override
  public Object invoke(ToolInvocation invocation) throws ToolException {
    invocation.context().emit(new Event.Think(invocation.string("message")));
    return null;
  }
}
