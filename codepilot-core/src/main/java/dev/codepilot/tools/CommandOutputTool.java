package dev.codepilot.tools;

import java.util.List;

/**
 * {@code command_output(id)}: the status of a background command and its output so far (the head
 * and the tail, within {@code runtime.max_output_chars}).
 */
final class CommandOutputTool implements ToolDefinition {

  static final String NAME = "command_output";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Return the status (running, or its Return Code) and the output so far of a"
        + " background command started with run_command(..., background=True).";
  }

  @Override
  public List<ToolParameter> parameters() {
    return List.of(ToolParameter.required("id", PyType.STR));
  }

  @Override
  public String describe(ToolInvocation call) {
    return "Read the output of background command " + call.get("id");
  }

  @Override
  public Object invoke(ToolInvocation call) throws ToolException {
    BackgroundProcess process = find(call);
    return report(process, call.context().runtimeConfig().maxOutputChars());
  }

  /** The background command the call names; ValueError listing the known ids otherwise. */
  static BackgroundProcess find(ToolInvocation call) throws ToolException {
    String id = call.string("id").strip();
    BackgroundProcesses processes = call.context().backgroundProcesses();
    return processes
        .get(id)
        .orElseThrow(
            () -> {
              List<String> known = processes.list().stream().map(BackgroundProcess::id).toList();
              return ToolException.valueError(
                  "no background command '"
                      + id
                      + "'"
                      + (known.isEmpty()
                          ? "; none was started (use run_command(..., background=True))"
                          : "; known ids: " + String.join(", ", known)));
            });
  }

  /** Status line, then the output so far. */
  static String report(BackgroundProcess process, int limit) {
    String output = process.output(Math.max(limit - 300, 100)).stripTrailing();
    return "["
        + process.id()
        + "] "
        + process.status()
        + ": "
        + process.command()
        + "\n"
        + (output.isEmpty() ? "(no output yet)" : "OUTPUT:\n" + output);
  }
}
