package dev.codepilot.sandbox;

import java.util.function.Predicate;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * A context built exactly as the sandbox builds one, bootstrap included, that runs code past every
 * Python-level check: what a block would have if it got around the policy. The code gets the
 * interpreter's own import ({@code I}), real {@code eval} ({@code ev}), {@code sys}, the host
 * function ({@code host}) and the bootstrap's globals ({@code M}); its {@code import} statements
 * get module views as a block's do, for the modules {@code importable} accepts.
 */
final class PastThePolicy implements AutoCloseable {

  /** Runs a piece of code with what an escape from the policy would give it. */
  private static final String PAST_THE_POLICY =
      """
      def _cp_past_the_policy(code):
          io = _importlib.import_module("io")
          out = io.StringIO()
          namespace = {"I": _importlib.import_module, "sys": _sys, "host": _State.host,
                       "ev": lambda src, ns=None: _real_eval(src, ns if ns is not None else {}),
                       "M": globals()}
          saved = _sys.stdout
          _sys.stdout = out
          try:
              _real_exec(_real_compile(code, "<attack>", "exec"), namespace)
              return "ran\\n" + out.getvalue()
          except BaseException as error:
              return "failed: " + type(error).__name__ + ": " + str(error) + "\\n" + out.getvalue()
          finally:
              _sys.stdout = saved
      """;

  private final Context context;
  private final Value run;

  PastThePolicy(Predicate<String> importable) {
    context = LockedContexts.builder().build();
    for (Source file : BlockContext.BOOTSTRAP) {
      context.eval(file);
    }
    Value bindings = context.getBindings("python");
    ProxyExecutable host = args -> "n";
    ProxyExecutable results = args -> 0;
    ProxyExecutable allowEverything = args -> "";
    ProxyExecutable imports = args -> importable.test(args[0].asString());
    bindings
        .getMember("_cp_configure")
        .executeVoid(host, results, allowEverything, allowEverything, imports, 20_000);
    context.eval("python", PAST_THE_POLICY);
    run = bindings.getMember("_cp_past_the_policy");
  }

  /**
   * What the code printed, after "ran" or "failed: " and the exception; "stopped: " when it ended
   * with an error no Python code can catch, such as an exit.
   */
  String run(String code) {
    try {
      return run.execute(code).asString();
    } catch (PolyglotException e) {
      return "stopped: " + e.getMessage();
    }
  }

  @Override
  public void close() {
    context.close(true);
  }
}
