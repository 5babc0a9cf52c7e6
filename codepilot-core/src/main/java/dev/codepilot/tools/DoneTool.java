package dev.codepilot.tools;

import java.util.List;

/** {@code done(summary)}: ends the run after the current block; run() returns the summary. */
final class DoneTool implements ControlTool {

  static final String DEFAULT_SUMMARY = "Task complete.";

  @Override
  public String name() {
    return "done";
  }

  @Override
  public String description() {
    return "Finish the task once the work is verified. The run ends after this block; the"
        + " summary is what the user is told.";
  }

  @Override
  public List<ToolParameter> parameters() {
    return List.of(ToolParameter.optional("summary", PyType.STR, DEFAULT_SUMMARY));
  }

  @Override
  public Object invoke(ToolInvocation invocation) throws ToolException {
    invocation.context().finish(invocation.string("summary"));
    return null;
  }
}
