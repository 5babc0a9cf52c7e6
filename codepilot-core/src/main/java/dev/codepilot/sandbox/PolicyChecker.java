package dev.codepilot.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Runs the AST policy ({@code policy.py}) in contexts of its own, apart from the contexts that run
 * blocks, so that nothing a block does in its interpreter can read or change the rules its later
 * blocks (or the strings it compiles) are checked against. A checker context only ever parses and
 * walks text; it never runs code it was given.
 *
 * <p>One JVM keeps a few checker contexts, as many as blocks can run at once (one per core, see
 * {@link BlockGate}), created on first use and lent out for one check at a time.
 */
final class PolicyChecker {

  /** The checkers of this JVM. */
  static final PolicyChecker SHARED =
      new PolicyChecker(Math.max(2, Runtime.getRuntime().availableProcessors()));

  private static final Source POLICY =
      Source.newBuilder("python", read("policy.py"), "<codepilot-policy>").buildLiteral();

  /** A verdict: {@code ok}, or refused with a reason, or not parseable (reported by the runner). */
  record Verdict(Kind kind, String reason) {
    enum Kind {
      OK,
      REJECTED,
      UNPARSEABLE
    }

    static final Verdict OK = new Verdict(Kind.OK, "");
    static final Verdict UNPARSEABLE = new Verdict(Kind.UNPARSEABLE, "");
  }

  /** One checker context's functions. */
  private record Checker(Value check, Value attrProblem, Value moduleAllowed) {}

  /** Longest attribute name whose verdict is remembered, and how many are. */
  private static final int CACHED_NAME_LENGTH = 64;

  private static final int CACHED_NAMES = 4096;

  /**
   * Source text that passed, with the mode and the allowed modules it passed with. The policy's
   * verdict is a function of these three alone: the checker only parses and walks the text, keeps
   * no state between checks but caches derived from its constant rules, and never runs what it is
   * given. So text that passed once passes again, and is not walked again; the key is the whole
   * text, compared in full, so no other text can match it. Only passes are kept: a refusal may come
   * from the checker running out of stack, which is not the text's fault.
   */
  private record Passed(String code, String mode, String allowed) {}

  /** Longest source whose pass is remembered, and how many are (the most recently used). */
  private static final int CACHED_SOURCE_LENGTH = 16 * 1024;

  private static final int CACHED_PASSES = 256;

  private final Semaphore permits;
  private final ConcurrentLinkedQueue<Checker> idle = new ConcurrentLinkedQueue<>();
  private final Map<String, String> attrVerdicts = new ConcurrentHashMap<>();
  private final Map<Passed, Boolean> passed =
      Collections.synchronizedMap(
          new LinkedHashMap<>(CACHED_PASSES, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Passed, Boolean> eldest) {
              return size() > CACHED_PASSES;
            }
          });

  private PolicyChecker(int size) {
    this.permits = new Semaphore(size);
  }

  /** Creates one checker in the background, so the first block need not wait for it. */
  void prewarm() {
    if (idle.isEmpty()) {
      Thread.ofPlatform()
          .daemon()
          .name("codepilot-policy-warm")
          .start(
              () -> {
                if (idle.isEmpty() && permits.tryAcquire()) {
                  try {
                    idle.offer(create());
                  } catch (RuntimeException e) {
                    // The first check creates one and reports the failure.
                  } finally {
                    permits.release();
                  }
                }
              });
    }
  }

  /**
   * Checks source text.
   *
   * @param code the source
   * @param mode {@code exec} for blocks and statements, {@code eval} for an expression
   * @param allowed the importable modules, comma separated
   */
  Verdict check(String code, String mode, String allowed) {
    Passed key = code.length() <= CACHED_SOURCE_LENGTH ? new Passed(code, mode, allowed) : null;
    if (key != null && passed.containsKey(key)) {
      return Verdict.OK;
    }
    String answer =
        ask(
            checker -> checker.check().execute(code, mode, allowed).asString(),
            "the code could not be checked");
    return switch (answer) {
      case "" -> {
        if (key != null) {
          passed.put(key, Boolean.TRUE);
        }
        yield Verdict.OK;
      }
      case "syntax" -> Verdict.UNPARSEABLE;
      default -> new Verdict(Verdict.Kind.REJECTED, answer);
    };
  }

  /** Why a block may not reach the attribute {@code name}; empty when it may. */
  String attrProblem(String name) {
    String known = attrVerdicts.get(name);
    if (known != null) {
      return known;
    }
    String answer =
        ask(
            checker -> {
              Value problem = checker.attrProblem().execute(name, true);
              return problem.isNull() ? "" : problem.asString();
            },
            "the attribute name could not be checked");
    if (name.length() <= CACHED_NAME_LENGTH && attrVerdicts.size() < CACHED_NAMES) {
      attrVerdicts.put(name, answer);
    }
    return answer;
  }

  /** Whether a block may import the dotted module {@code name}. */
  boolean moduleAllowed(String name, String allowed) {
    return ask(checker -> checker.moduleAllowed().execute(name, allowed).asBoolean() ? "y" : "", "")
        .equals("y");
  }

  /**
   * Lends a checker to {@code question}; a checker whose Python failed (a stack overflow on a
   * pathological tree, say) is closed and the answer is {@code onFailure}, a refusal.
   */
  private String ask(Function<Checker, String> question, String onFailure) {
    permits.acquireUninterruptibly();
    Checker checker = idle.poll();
    try {
      if (checker == null) {
        checker = create();
      }
      return question.apply(checker);
    } catch (PolyglotException e) {
      close(checker);
      checker = null;
      return onFailure.isEmpty() ? "" : onFailure + " (" + e.getMessage() + ")";
    } finally {
      if (checker != null) {
        idle.offer(checker);
      }
      permits.release();
    }
  }

  private static Checker create() {
    Context context = LockedContexts.builder().build();
    try {
      context.eval(POLICY);
      Value bindings = context.getBindings("python");
      return new Checker(
          bindings.getMember("check"),
          bindings.getMember("attr_problem"),
          bindings.getMember("module_allowed"));
    } catch (RuntimeException e) {
      context.close(true);
      throw e;
    }
  }

  private static void close(Checker checker) {
    if (checker != null) {
      try {
        checker.check().getContext().close(true);
      } catch (RuntimeException e) {
        // Already closed.
      }
    }
  }

  static String read(String resource) {
    try (InputStream in = PolicyChecker.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the codepilot-core jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
