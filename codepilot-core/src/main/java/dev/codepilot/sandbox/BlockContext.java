package dev.codepilot.sandbox;

import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One interpreter that runs blocks: a locked-down context (see {@link LockedContexts}) with the
 * bootstrap files evaluated into it, and the entry points the sandbox calls. Used on the sandbox's
 * thread only; {@link #close()} may come from any thread.
 */
final class BlockContext {

  /**
   * The bootstrap files, evaluated in this order into one namespace; what each is for is said at
   * the top of {@code bootstrap.py}. Only {@code guards.py} (with {@code policy.py}, which runs
   * elsewhere) decides what a block may reach.
   */
  static final List<String> BOOTSTRAP_FILES =
      List.of("guards.py", "output.py", "tracebacks.py", "toolcalls.py", "bootstrap.py");

  /** The bootstrap files as sources, named {@code <codepilot-guards>} and so on. */
  static final List<Source> BOOTSTRAP =
      BOOTSTRAP_FILES.stream()
          .map(
              file ->
                  Source.newBuilder(
                          "python",
                          PolicyChecker.read(file),
                          "<codepilot-" + file.substring(0, file.length() - ".py".length()) + ">")
                      .buildLiteral())
          .toList();

  private final Context context;
  private final Value run;
  private final Value compileError;
  private final Value takeOutput;
  private final Value installTools;

  /** The tool spec installed last, so that an unchanged one is not installed again. */
  private String installedTools;

  private BlockContext(Context context, Value bindings) {
    this.context = context;
    this.run = bindings.getMember("_cp_run");
    this.compileError = bindings.getMember("_cp_compile_error");
    this.takeOutput = bindings.getMember("_cp_take_output");
    this.installTools = bindings.getMember("_cp_install_tools");
  }

  /**
   * Takes a context from the {@link ContextPool}, or creates one and runs the bootstrap in it, and
   * configures it with the bridge's host functions.
   *
   * @param bridge the host functions' Java side
   * @param maxOutputChars limit on the printed output kept per block
   */
  static BlockContext create(ToolBridge bridge, int maxOutputChars) {
    Context pooled = ContextPool.take();
    Context created = pooled != null ? pooled : bootstrapped();
    try {
      Value bindings = created.getBindings("python");
      Object[] functions = bridge.functionsFor(created);
      Object[] arguments = new Object[functions.length + 1];
      System.arraycopy(functions, 0, arguments, 0, functions.length);
      arguments[functions.length] = maxOutputChars;
      bindings.getMember("_cp_configure").executeVoid(arguments);
      return new BlockContext(created, bindings);
    } catch (RuntimeException e) {
      created.close(true);
      throw e;
    }
  }

  /** A new context with the bootstrap files evaluated, not yet configured. */
  static Context bootstrapped() {
    Context created = LockedContexts.builder().build();
    try {
      for (Source file : BOOTSTRAP) {
        created.eval(file);
      }
      return created;
    } catch (RuntimeException e) {
      created.close(true);
      throw e;
    }
  }

  Context context() {
    return context;
  }

  /** Installs the tools of {@code spec} (see {@link ToolBridge#toolSpec}) unless they are. */
  void installTools(String spec) {
    if (!spec.equals(installedTools)) {
      installTools.executeVoid(spec);
      installedTools = spec;
    }
  }

  /** Runs a checked block: the (status, detail, output) strings of {@code _cp_run}. */
  Value run(String code) {
    return run.execute(code);
  }

  /** The compile error of a block the policy could not parse; empty when it compiles. */
  String compileError(String code) {
    return compileError.execute(code).asString();
  }

  /** The output of an interrupted block. */
  String takeOutput() {
    return takeOutput.execute().asString();
  }

  /** Closes the context, cancelling what runs in it; quiet if it is closed already. */
  void close() {
    closeQuietly(context);
  }

  static void closeQuietly(Context context) {
    try {
      context.close(true);
    } catch (RuntimeException e) {
      // Already closed or cancelled: nothing more to release.
    }
  }
}
