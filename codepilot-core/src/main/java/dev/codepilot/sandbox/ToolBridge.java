package dev.codepilot.sandbox;

import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolParameter;
import dev.codepilot.tools.ToolReply;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The Java side of the only doors out of a block's interpreter: the host functions a context is
 * configured with ({@code _cp_configure} in {@code bootstrap.py}). They run the block's tool calls
 * (on paused time), hand out the session's results, and put the policy's questions (source compiled
 * at run time, attribute names, imports) to the {@link PolicyChecker}. Each answers only the
 * context that is current and only while a block of it runs, and takes and returns plain data.
 */
final class ToolBridge {

  private final String allowedModules;
  private final Supplier<Context> current;
  private volatile ToolDispatcher dispatcher;
  private volatile ExecutionClock clock;

  /** The full texts of the session's execution results, for the running block's results. */
  private volatile List<String> resultTexts = List.of();

  /**
   * @param allowedModules the modules blocks may import, comma separated, as the policy reads them
   * @param current the context whose calls are answered now (null: none)
   */
  ToolBridge(String allowedModules, Supplier<Context> current) {
    this.allowedModules = allowedModules;
    this.current = current;
  }

  String allowedModules() {
    return allowedModules;
  }

  /** The host functions for {@code _cp_configure}, in its order, for the context {@code owner}. */
  Object[] functionsFor(Context owner) {
    ProxyExecutable host = args -> callTool(owner, args);
    ProxyExecutable results = args -> resultText(owner, args);
    ProxyExecutable checkSource = this::checkCompiled;
    ProxyExecutable checkAttr =
        args ->
            args.length == 1 && args[0].isString()
                ? PolicyChecker.SHARED.attrProblem(args[0].asString())
                : "bad attribute name";
    ProxyExecutable moduleAllowed =
        args ->
            args.length == 1
                && args[0].isString()
                && PolicyChecker.SHARED.moduleAllowed(args[0].asString(), allowedModules);
    return new Object[] {host, results, checkSource, checkAttr, moduleAllowed};
  }

  /** A block starts: its tool calls go to {@code blockDispatcher}, on {@code blockClock}. */
  void blockStarted(
      ToolDispatcher blockDispatcher, ExecutionClock blockClock, List<String> results) {
    this.dispatcher = blockDispatcher;
    this.clock = blockClock;
    this.resultTexts = results;
  }

  /** The block of {@code blockClock} ended; later calls are refused. */
  void blockEnded(ExecutionClock blockClock) {
    // A block abandoned earlier ends late, on its old thread: it leaves its successor alone.
    if (clock == blockClock) {
      resultTexts = List.of();
      dispatcher = null;
      clock = null;
    }
  }

  /** Refuses every call from now on, whatever block was running (its context is abandoned). */
  void cutOff() {
    resultTexts = List.of();
    dispatcher = null;
    clock = null;
  }

  private Object callTool(Context caller, Value... args) {
    ToolDispatcher currentDispatcher = dispatcher;
    ExecutionClock currentClock = clock;
    if (caller != current.get() || currentDispatcher == null || currentClock == null) {
      return BlockValues.encode(
          new ToolReply.Raised(
              "RuntimeError", "tools can only be called while a control block runs"));
    }
    if (args.length != 3 || !args[0].isString()) {
      return BlockValues.encode(new ToolReply.Raised("TypeError", "bad tool call"));
    }
    // Reading the arguments can run code of the block (a crafted sequence or number), so the
    // clock keeps running; only the tool itself runs on paused time.
    String toolName = args[0].asString();
    Map<String, Object> passed;
    try {
      passed = BlockValues.arguments(args[1], args[2]);
    } catch (IllegalArgumentException e) {
      return BlockValues.encode(
          new ToolReply.Raised("TypeError", toolName + "(): " + e.getMessage()));
    }
    currentClock.pause();
    try {
      return BlockValues.encode(currentDispatcher.dispatch(toolName, passed));
    } finally {
      currentClock.resume();
    }
  }

  /**
   * For the block's {@code results}: with -1 the number of execution results, with an index from 0
   * the full text of that result.
   */
  private Object resultText(Context caller, Value... args) {
    List<String> texts = resultTexts;
    if (caller != current.get() || args.length != 1 || !args[0].fitsInInt()) {
      return -2;
    }
    int index = args[0].asInt();
    if (index == -1) {
      return texts.size();
    }
    return index >= 0 && index < texts.size() ? texts.get(index) : -2;
  }

  /**
   * The check of a string the block's interpreter compiles at run time (eval, exec, compile, string
   * annotations): empty when it may be compiled, otherwise why not.
   */
  private String checkCompiled(Value... args) {
    if (args.length != 2 || !args[0].isString() || !args[1].isString()) {
      return "bad arguments";
    }
    PolicyChecker.Verdict verdict =
        PolicyChecker.SHARED.check(args[0].asString(), args[1].asString(), allowedModules);
    return switch (verdict.kind()) {
      case OK -> "";
      case REJECTED -> verdict.reason();
      case UNPARSEABLE -> "the code could not be parsed to be checked";
    };
  }

  /** The tools as the bootstrap's {@code _cp_install_tools} reads them. */
  static String toolSpec(List<ToolDefinition> tools) {
    StringBuilder spec = new StringBuilder();
    for (ToolDefinition tool : tools) {
      if (!spec.isEmpty()) {
        spec.append('\u001e');
      }
      spec.append(tool.name()).append('\u001f');
      for (ToolParameter p : tool.parameters()) {
        spec.append(p.name()).append(p.required() ? "," : "=,");
      }
      spec.append('\u001f')
          .append(tool.description().replace('\u001e', ' ').replace('\u001f', ' '))
          .append('\u001f')
          .append(tool.signature().replace('\u001e', ' ').replace('\u001f', ' '));
    }
    return spec.toString();
  }
}
