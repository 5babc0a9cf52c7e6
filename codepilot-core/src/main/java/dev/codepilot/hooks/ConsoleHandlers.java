package dev.codepilot.hooks;

import dev.codepilot.internal.Json;
import dev.codepilot.internal.Text;
import java.io.PrintStream;

/** The default handlers: the agent's progress printed to the console, one line per event. */
final class ConsoleHandlers {

  private ConsoleHandlers() {
  }

  static void register(HookSystem hooks, PrintStream out) {
    hooks.registerDefault(EventType.THINK,
        e -> print(out, "💭 " + ((Event.Think) e).message()));
    hooks.registerDefault(EventType.TOOL_CALL, e -> {
      Event.ToolCall call = (Event.ToolCall) e;
      return print(out, "⚙️ [" + call.tool() + "](" + Json.write(call.args()) + ")");
    });
    hooks.registerDefault(EventType.TOOL_RESULT,
        e -> print(out, "   ↳ " + Text.firstChars(((Event.ToolResult) e).result(), 300)));
    hooks.registerDefault(EventType.ASK_USER,
        e -> print(out, "❓ " + ((Event.AskUser) e).question()));
    hooks.registerDefault(EventType.SECURITY_ERROR,
        e -> print(out, "🛡️ Security error: " + ((Event.SecurityError) e).error()));
    hooks.registerDefault(EventType.RUNTIME_ERROR,
        e -> print(out, "❌ Runtime error: " + ((Event.RuntimeError) e).error()));
    hooks.registerDefault(EventType.FINISH,
        e -> print(out, "✅ Done: " + ((Event.Finish) e).summary()));
    hooks.registerDefault(EventType.MAX_STEPS,
        e -> print(out, "⚠️ Stopped: the maximum number of steps was reached."));
    hooks.registerDefault(EventType.PERMISSION_REQUEST, e -> {
      Event.PermissionRequest request = (Event.PermissionRequest) e;
      return ConsolePrompt.confirm(out, "⚠️ [" + request.tool() + "] " + request.description());
    });
  }

  private static Object print(PrintStream out, String line) {
    HookSystem.print(out, line);
    return null;
  }
}
