package dev.codepilot.tools;

import java.time.Duration;
import java.util.List;

/**
 * {@code stop_command(id)}: ends a background command and every process it started (asked to
 * terminate first, killed after two seconds), then reports its final status and output.
 */
final class StopCommandTool implements ToolDefinition {

  static final String NAME = "stop_command";
  private static final Duration GRACE = Duration.ofSeconds(2);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Stop a background command started with run_command(..., background=True), with the"
        + " processes it started; returns its final status and output.";
  }

  @Override
  public List<ToolParameter> parameters() {
    return List.of(ToolParameter.required("id", PyType.STR));
  }

  @Override
  public String describe(ToolInvocation call) {
    return "Stop background command " + call.get("id");
  }

  @Override
  public Object invoke(ToolInvocation call) throws ToolException {
    BackgroundProcess process = CommandOutputTool.find(call);
    boolean wasRunning = process.isAlive();
    process.stop(GRACE);
    String report =
        CommandOutputTool.report(process, call.context().runtimeConfig().maxOutputChars());
    String tag = "[" + process.id() + "] ";
    return wasRunning ? report : tag + "had already ended: " + report.substring(tag.length());
  }
}
