package dev.codepilot.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The trace of one evaluation suite ({@code codepilot eval}): an {@code eval {suite}} span, with an
 * {@code eval_case {case}} span per attempt at a case beneath it, under which the case's runs
 * ({@code invoke_agent}) nest when its runtime is traced. Cases may run on other threads at once;
 * each is parented to the suite explicitly.
 *
 * <pre>{@code
 * EvalTrace trace = telemetry.startEval("smoke");
 * CaseResult result = trace.runCase("greets", 1, () -> runner.run(one), CaseResult::failures);
 * trace.end(passed, failed);
 * }</pre>
 */
public final class EvalTrace {

  static final AttributeKey<String> SUITE = AttributeKey.stringKey("codepilot.eval.suite");
  static final AttributeKey<String> CASE = AttributeKey.stringKey("codepilot.eval.case");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("codepilot.eval.attempt");
  static final AttributeKey<Boolean> PASSED = AttributeKey.booleanKey("codepilot.eval.passed");
  static final AttributeKey<List<String>> FAILURES =
      AttributeKey.stringArrayKey("codepilot.eval.failures");
  static final AttributeKey<Long> PASSED_COUNT =
      AttributeKey.longKey("codepilot.eval.passed_count");
  static final AttributeKey<Long> FAILED_COUNT =
      AttributeKey.longKey("codepilot.eval.failed_count");

  /** How much of each failure a span keeps: enough to recognise it, not a transcript. */
  private static final int FAILURE_CHARS = 500;

  private final CodePilotTelemetry telemetry;
  private final Span suite;
  private final Context context;

  EvalTrace(CodePilotTelemetry telemetry, String suiteName) {
    this.telemetry = telemetry;
    Context parent = Context.current();
    this.suite =
        telemetry
            .tracer()
            .spanBuilder("eval " + suiteName)
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(SUITE, suiteName)
            .startSpan();
    this.context = parent.with(suite);
  }

  /**
   * Runs one attempt at a case inside its own span, a child of the suite's, made current on the
   * calling thread so that the case's runs nest under it.
   *
   * @param name the case's name
   * @param attempt the attempt, from 1
   * @param work runs the case and returns its result
   * @param failures what failed in the result; empty when the case passed
   * @return what {@code work} returned
   * @throws Exception what {@code work} threw, recorded on the span
   */
  public <T> T runCase(
      String name, int attempt, Callable<T> work, Function<T, List<String>> failures)
      throws Exception {
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(failures, "failures");
    Span span =
        telemetry
            .tracer()
            .spanBuilder("eval_case " + name)
            .setParent(context)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(CASE, name)
            .setAttribute(ATTEMPT, (long) attempt)
            .startSpan();
    try (Scope ignored = context.with(span).makeCurrent()) {
      T result = work.call();
      List<String> failed = failures.apply(result);
      span.setAttribute(PASSED, failed.isEmpty());
      if (!failed.isEmpty()) {
        span.setAttribute(FAILURES, failed.stream().map(EvalTrace::cut).toList());
        span.setStatus(StatusCode.ERROR, cut(failed.getFirst()));
      }
      return result;
    } catch (Exception | Error e) {
      span.setAttribute(PASSED, false);
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
      throw e;
    } finally {
      span.end();
    }
  }

  /** Ends the suite's span with its counts; error status when a case failed. */
  public void end(int passed, int failed) {
    suite.setAttribute(PASSED_COUNT, (long) passed);
    suite.setAttribute(FAILED_COUNT, (long) failed);
    if (failed > 0) {
      suite.setStatus(StatusCode.ERROR, failed + (failed == 1 ? " case" : " cases") + " failed");
    }
    suite.end();
  }

  private static String cut(String text) {
    return text.length() <= FAILURE_CHARS ? text : text.substring(0, FAILURE_CHARS) + "…";
  }
}
