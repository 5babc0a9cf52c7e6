package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.internal.Json;
import dev.codepilot.internal.Terminals;
import dev.codepilot.model.Usage;
import java.io.PrintStream;
import java.util.Locale;

/** The human view of a run: steps, thoughts, tool calls and short results, then a summary. */
final class ConsoleRenderer implements EventRenderer {

  private static final int RESULT_PREVIEW = 300;

  private final PrintStream out;
  private final boolean color;

  ConsoleRenderer(PrintStream out, boolean color) {
    this.out = out;
    this.color = color;
  }

  static ConsoleRenderer forStdout() {
    boolean color = Terminals.interactiveConsole().isPresent() && System.getenv("NO_COLOR") == null;
    return new ConsoleRenderer(System.out, color);
  }

  @Override
  public void attach(AgentRuntime runtime) {
    for (EventType type : EventType.values()) {
      runtime.hooks().observe(type, this::show);
    }
  }

  private void show(Event event) {
    String line = switch (event) {
      case Event.Start start -> style("1", "▶ " + start.task());
      case Event.Step step -> style("2", "── step " + step.step() + "/" + step.maxSteps());
      case Event.Think think -> "💭 " + think.message();
      case Event.ToolCall call -> style("36", "⚙ " + call.tool() + "(" + args(call) + ")");
      case Event.ToolResult result -> style("2", indent("↳ " + preview(result.result())));
      case Event.AskUser ask -> style("33", "❓ " + ask.question());
      case Event.PermissionRequest request -> style("33", "⚠ permission: " + request.description());
      case Event.SecurityError error -> style("31", "🛡 security error: " + error.error());
      case Event.RuntimeError error -> style("31", "✖ " + error.error());
      case Event.Finish finish -> style("32", "✔ Done: " + finish.summary());
      case Event.MaxSteps ignored -> style("33", "⚠ stopped: the step limit was reached");
      case Event.UserMessageQueued queued -> "✉ queued: " + queued.message();
      case Event.UserMessageInjected injected -> "✉ delivered: " + injected.message();
      case Event.SessionReset ignored -> "↺ session reset";
    };
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  @Override
  public void finish(RunResult result) {
    StringBuilder line = new StringBuilder();
    line.append(switch (result.outcome()) {
      case FINISHED -> "finished";
      case MAX_STEPS -> "stopped at the step limit";
      case ABORTED -> "aborted";
      case FAILED -> "failed";
    });
    line.append(" · ").append(result.steps()).append(result.steps() == 1 ? " step" : " steps");
    line.append(" · ").append(String.format(Locale.ROOT, "%.1f s", result.duration().toMillis() / 1000.0));
    Usage usage = result.usage();
    if (usage.isReported()) {
      line.append(" · ").append(usage.totalInputTokens()).append(" in / ")
          .append(usage.outputTokens()).append(" out tokens");
      if (usage.cacheReadTokens() > 0) {
        line.append(" (").append(usage.cacheReadTokens()).append(" from cache)");
      }
    }
    result.error().ifPresent(error -> out.println(style("31", "✖ " + error)));
    out.println(style("2", line.toString()));
    out.flush();
  }

  private static String args(Event.ToolCall call) {
    StringBuilder text = new StringBuilder();
    call.args().forEach((name, value) -> {
      if (!text.isEmpty()) {
        text.append(", ");
      }
      String rendered = Json.write(value);
      text.append(name).append('=').append(rendered.length() > 80 ? rendered.substring(0, 77) + "…" : rendered);
    });
    return text.toString();
  }

  private static String preview(String result) {
    String oneLine = result.strip();
    int lines = (int) oneLine.lines().count();
    if (oneLine.length() <= RESULT_PREVIEW && lines <= 6) {
      return oneLine;
    }
    String head = String.join("\n", oneLine.lines().limit(6).toList());
    if (head.length() > RESULT_PREVIEW) {
      head = head.substring(0, RESULT_PREVIEW);
    }
    return head + "\n… (" + lines + " lines, " + oneLine.length() + " chars)";
  }

  private static String indent(String text) {
    return "   " + text.replace("\n", "\n     ");
  }

  private String style(String code, String text) {
    return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }
}
