package dev.codepilot.hooks;

import dev.codepilot.internal.Json;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.internal.Text;
import java.io.PrintStream;

/**
 * The default handlers: the agent's progress printed to the console, one entry per event. All text
 * in them comes from the model or a tool, so it is printed through {@link TerminalText}: nothing in
 * it can drive the terminal, and its further lines are indented under the entry's sign so that none
 * of them can pose as an entry of its own.
 */
final class ConsoleHandlers {

  private ConsoleHandlers() {}

  static void register(HookSystem hooks, PrintStream out) {
    hooks.registerDefault(Event.Think.class, think -> print(out, "💭 ", think.message()));
    hooks.registerDefault(
        Event.ToolCall.class,
        call ->
            print(
                out,
                "⚙️ ",
                "["
                    + TerminalText.line(call.tool())
                    + "]("
                    + TerminalText.line(Json.write(call.args()))
                    + ")"));
    hooks.registerDefault(
        Event.ToolResult.class,
        result -> print(out, "   ↳ ", Text.firstChars(result.result(), 300)));
    hooks.registerDefault(Event.AskUser.class, ask -> print(out, "❓ ", ask.question()));
    hooks.registerDefault(
        Event.SecurityError.class, error -> print(out, "🛡️ Security error: ", error.error()));
    hooks.registerDefault(
        Event.RuntimeError.class, error -> print(out, "❌ Runtime error: ", error.error()));
    hooks.registerDefault(Event.Finish.class, finish -> print(out, "✅ Done: ", finish.summary()));
    hooks.registerDefault(
        Event.MaxSteps.class,
        stopped -> print(out, "⚠️ Stopped: the maximum number of steps was reached.", ""));
  }

  /** The console's gate: asks {@code y/N} at a terminal, denies when there is none. */
  static PermissionGate prompt(PrintStream out) {
    return request ->
        ConsolePrompt.confirm(out, "⚠️ [" + request.tool() + "] " + request.description());
  }

  /** Prints our own {@code sign}, then {@code text} cleaned, its lines indented under it. */
  private static void print(PrintStream out, String sign, String text) {
    HookSystem.print(out, sign + TerminalText.block(text, "     "));
  }
}
