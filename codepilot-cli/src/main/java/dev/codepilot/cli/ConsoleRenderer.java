package dev.codepilot.cli;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.internal.Json;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.model.Usage;
import java.util.List;
import java.util.Locale;

/**
 * The human view of a run, one line (or a short folded block) per event: numbered steps, thoughts,
 * tool calls with their arguments, short results, highlighted errors, the summary, and a closing
 * line with steps, time and tokens. On a terminal it is coloured and drives the {@link LiveView};
 * piped, it is plain text that stays the same from run to run.
 */
final class ConsoleRenderer implements EventRenderer {

  /** Results and errors longer than this many lines are folded. */
  private static final int FOLD_LINES = 8;

  /** How many lines of a folded block are shown. */
  private static final int KEEP_LINES = 5;

  private static final int ARG_CHARS = 60;

  /** Shown through its question and the answer instead of as a tool call. */
  private static final String ASK_USER = "ask_user";

  private final Console console;
  private final Console.Lines out;
  private final Style style;
  private final boolean showTask;
  private volatile boolean replyStreaming;
  private volatile String shownError;

  /**
   * @param showTask whether the task opens the output (not in chat, where the user just typed it)
   */
  ConsoleRenderer(Console console, boolean showTask) {
    this.console = console;
    this.out = console.lines();
    this.style = console.style();
    this.showTask = showTask;
  }

  @Override
  public void attach(AgentRuntime runtime) {
    for (EventType type : EventType.values()) {
      runtime.hooks().observe(type, this::show);
    }
    console
        .live()
        .ifPresent(
            live ->
                runtime.addStreamListener(
                    text -> {
                      replyStreaming = true;
                      live.stream(text);
                    }));
  }

  /** One-line text for the terminal (see {@link TerminalText#line}). */
  static String line(String text) {
    return TerminalText.line(text);
  }

  /**
   * Text of several lines for the terminal, its further lines indented by {@code indent} so that
   * none of them can pose as an event line (see {@link TerminalText#block(String, String)}).
   */
  static String lines(String text, String indent) {
    return TerminalText.block(text, indent);
  }

  private void show(Event event) {
    console
        .live()
        .ifPresent(
            live -> {
              if (replyStreaming && !(event instanceof Event.Step)) {
                replyStreaming = false;
                live.replyDone();
              }
            });
    switch (event) {
      case Event.Start start -> {
        if (showTask) {
          out.println(style.bold("▶ " + lines(start.task(), "  ")));
        }
      }
      case Event.Step step -> {
        String stepLabel = "step " + step.step() + "/" + step.maxSteps();
        replyStreaming = false;
        out.println(style.dim("── " + stepLabel));
        console
            .live()
            .ifPresent(
                live -> {
                  live.replyDone();
                  live.prefix(stepLabel);
                  live.phase("thinking");
                });
      }
      case Event.Think think -> out.println(style.magenta("💭 " + lines(think.message(), "   ")));
      case Event.ToolCall call when call.tool().equals(ASK_USER) -> {}
      case Event.ToolResult result when result.tool().equals(ASK_USER) -> {}
      case Event.ToolCall call -> {
        out.println(
            style.bold(style.cyan("⚙ " + line(call.tool()))) + style.cyan("(" + args(call) + ")"));
        console.live().ifPresent(live -> live.phase("running " + line(call.tool())));
      }
      case Event.ToolResult result -> {
        out.println(style.dim(block("  ↳ ", "    ", fold(result.result(), false))));
        console.live().ifPresent(live -> live.phase("running"));
      }
      case Event.AskUser ask -> out.println(style.yellow("❓ " + lines(ask.question(), "   ")));
      case Event.PermissionRequest request ->
          out.println(style.yellow("⚠ permission: " + TerminalText.prompt(request.description())));
      case Event.SecurityError error ->
          out.println(
              style.boldRed(block("🛡 security error: ", "   ", fold(error.error(), true))));
      case Event.RuntimeError error -> {
        shownError = error.error();
        out.println(style.red(block("✖ error: ", "   ", fold(error.error(), true))));
      }
      case Event.Finish finish -> {
        console.live().ifPresent(LiveView::idle);
        out.println(
            style.bold(style.green("✔ Done: ")) + style.green(lines(finish.summary(), "        ")));
      }
      case Event.MaxSteps ignored -> {
        console.live().ifPresent(LiveView::idle);
        out.println(
            style.yellow(
                "⚠ Stopped: the step limit was reached before the agent" + " called done()"));
      }
      case Event.UserMessageQueued queued ->
          out.println(style.dim("✉ queued: " + lines(queued.message(), "   ")));
      case Event.UserMessageInjected injected ->
          out.println(style.dim("✉ delivered: " + lines(injected.message(), "   ")));
      case Event.SessionReset ignored -> {}
      case Event.SubAgent sub -> showSubAgent(sub);
      case Event.ContextCondensed condensed ->
          out.println(
              style.dim(
                  "≋ older steps summarized:"
                      + " ~"
                      + number(condensed.beforeTokens())
                      + " → ~"
                      + number(condensed.afterTokens())
                      + " tokens"));
    }
  }

  /**
   * A sub-agent's event, one line indented under the call that runs it and naming the agent: its
   * steps, thoughts, tool calls, errors and summary. Its tool results and other events are left to
   * its own session.
   */
  private void showSubAgent(Event.SubAgent sub) {
    String who = "  │ " + line(sub.agent()) + " ";
    switch (sub.event()) {
      case Event.Step step ->
          out.println(style.dim(who + "step " + step.step() + "/" + step.maxSteps()));
      case Event.Think think ->
          out.println(style.magenta(who + "💭 " + clip(line(think.message()), 100)));
      case Event.ToolCall call ->
          out.println(style.cyan(who + "⚙ " + line(call.tool()) + "(" + args(call) + ")"));
      case Event.PermissionRequest request ->
          out.println(
              style.yellow(who + "⚠ permission: " + TerminalText.prompt(request.description())));
      case Event.AskUser ask -> out.println(style.yellow(who + "❓ " + line(ask.question())));
      case Event.SecurityError error ->
          out.println(style.boldRed(who + "🛡 security error: " + line(error.error())));
      case Event.RuntimeError error -> out.println(style.red(who + "✖ " + line(error.error())));
      case Event.Finish finish ->
          out.println(style.green(who + "✔ " + clip(line(finish.summary()), 100)));
      case Event.MaxSteps ignored ->
          out.println(style.yellow(who + "⚠ stopped at its step" + " limit"));
      default -> {}
    }
  }

  private static String clip(String text, int max) {
    return text.codePointCount(0, text.length()) <= max
        ? text
        : text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
  }

  /**
   * A short note under the event it belongs to, e.g. how a permission request was decided. Whatever
   * of the model's text it quotes is already made one line by the caller.
   */
  void note(String text, boolean good) {
    String line = "  " + line(text);
    out.println(good ? style.green(line) : style.yellow(line));
  }

  @Override
  public void finish(RunResult result) {
    console.live().ifPresent(LiveView::idle);
    result
        .error()
        .filter(error -> !error.equals(shownError))
        .ifPresent(error -> out.println(style.red("✖ " + lines(error, "  "))));
    shownError = null;
    out.println(style.dim(closingLine(result)));
  }

  static String closingLine(RunResult result) {
    StringBuilder line = new StringBuilder();
    line.append(
        switch (result.outcome()) {
          case FINISHED -> "finished";
          case MAX_STEPS -> "stopped at the step limit";
          case ABORTED -> "aborted";
          case FAILED -> "failed";
        });
    line.append(" · ").append(result.steps()).append(result.steps() == 1 ? " step" : " steps");
    line.append(" · ").append(seconds(result.duration().toMillis()));
    Usage usage = result.usage();
    if (usage.isReported()) {
      line.append(" · ")
          .append(number(usage.totalInputTokens()))
          .append(" in / ")
          .append(number(usage.outputTokens()))
          .append(" out tokens");
      if (usage.cacheReadTokens() > 0) {
        line.append(" (").append(number(usage.cacheReadTokens())).append(" from cache)");
      }
    } else {
      line.append(" · tokens not reported");
    }
    if (result.savedInputTokens() > 0) {
      line.append(" · ~")
          .append(number(result.savedInputTokens()))
          .append(" input tokens saved by the context view");
    }
    return line.toString();
  }

  static String seconds(long millis) {
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return String.format(Locale.ROOT, "%d min %02d s", millis / 60_000, millis / 1000 % 60);
  }

  private static String number(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String args(Event.ToolCall call) {
    StringBuilder text = new StringBuilder();
    call.args()
        .forEach(
            (name, value) -> {
              if (!text.isEmpty()) {
                text.append(", ");
              }
              String rendered =
                  line(value instanceof String string ? "\"" + string + "\"" : Json.write(value));
              if (rendered.codePointCount(0, rendered.length()) > ARG_CHARS) {
                rendered =
                    rendered.substring(0, rendered.offsetByCodePoints(0, ARG_CHARS - 1)) + "…";
              }
              text.append(line(name)).append('=').append(rendered);
            });
    return text.toString();
  }

  /**
   * The text's lines, cut to the console width; more than {@link #FOLD_LINES} are folded to their
   * first (or, for errors, whose end matters most, their last) few with a count.
   */
  private List<String> fold(String text, boolean keepEnd) {
    List<String> lines =
        TerminalText.block(text).strip().lines().map(l -> l.replace("\t", "    ")).toList();
    if (lines.isEmpty()) {
      return List.of("(no output)");
    }
    if (lines.size() > FOLD_LINES) {
      int hidden = lines.size() - KEEP_LINES;
      String marker =
          "… "
              + hidden
              + " more line"
              + (hidden == 1 ? "" : "s")
              + " ("
              + lines.size()
              + " in all)";
      List<String> kept =
          keepEnd
              ? lines.subList(lines.size() - KEEP_LINES, lines.size())
              : lines.subList(0, KEEP_LINES);
      lines = new java.util.ArrayList<>(kept);
      if (keepEnd) {
        lines.addFirst(marker);
      } else {
        lines.add(marker);
      }
    }
    int width = console.width() - 4;
    return lines.stream().map(l -> LiveView.cut(l, width)).toList();
  }

  private static String block(String first, String indent, List<String> lines) {
    StringBuilder text = new StringBuilder(first).append(lines.getFirst());
    for (String line : lines.subList(1, lines.size())) {
      text.append('\n').append(indent).append(line);
    }
    return text.toString();
  }
}
