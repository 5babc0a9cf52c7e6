package dev.codepilot.hooks;

import dev.codepilot.internal.Json;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.internal.Text;
import java.io.PrintStream;

/**
 * The default handlers: the agent's progress printed to the console, one entry per event. All
 * text in them comes from the model or a tool, so it is printed through {@link TerminalText}:
 * nothing in it can drive the terminal, and its further lines are indented under the entry's
 * sign so that none of them can pose as an entry of its own.
 */
final class ConsoleHandlers {

  private ConsoleHandlers() {
  }

  static void register(HookSystem hooks, PrintStream out) {
    hooks.registerDefault(EventType.THINK,
        e -> print(out, "💭 ", ((Event.Think) e).message()));
    hooks.registerDefault(EventType.TOOL_CALL, e -> {
      Event.ToolCall call = (Event.ToolCall) e;
      return print(out, "⚙️ ", "[" + TerminalText.line(call.tool()) + "]("
          + TerminalText.line(Json.write(call.args())) + ")");
    });
    hooks.registerDefault(EventType.TOOL_RESULT,
        e -> print(out, "   ↳ ", Text.firstChars(((Event.ToolResult) e).result(), 300)));
    hooks.registerDefault(EventType.ASK_USER,
        e -> print(out, "❓ ", ((Event.AskUser) e).question()));
    hooks.registerDefault(EventType.SECURITY_ERROR,
        e -> print(out, "🛡️ Security error: ", ((Event.SecurityError) e).error()));
    hooks.registerDefault(EventType.RUNTIME_ERROR,
        e -> print(out, "❌ Runtime error: ", ((Event.RuntimeError) e).error()));
    hooks.registerDefault(EventType.FINISH,
        e -> print(out, "✅ Done: ", ((Event.Finish) e).summary()));
    hooks.registerDefault(EventType.MAX_STEPS,
        e -> print(out, "⚠️ Stopped: the maximum number of steps was reached.", ""));
    hooks.registerDefault(EventType.PERMISSION_REQUEST, e -> {
      Event.PermissionRequest request = (Event.PermissionRequest) e;
      return ConsolePrompt.confirm(out, "⚠️ [" + request.tool() + "] " + request.description());
    });
  }

  /** Prints our own {@code sign}, then {@code text} cleaned, its lines indented under it. */
  private static Object print(PrintStream out, String sign, String text) {
    HookSystem.print(out, sign + TerminalText.block(text, "     "));
    return null;
  }
}
