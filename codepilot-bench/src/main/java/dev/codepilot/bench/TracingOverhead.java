package dev.codepilot.bench;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.RunObserver;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.opentelemetry.CodePilotTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What tracing adds to a step. Each round runs {@code --steps} steps of {@link Workload#REPLY} (a
 * block with four tool calls: six spans a step) with an instant model, once without tracing and
 * once with {@link CodePilotTelemetry} on an SDK whose batch span processor and periodic metric
 * reader hand everything to exporters that discard it (what a network exporter does off the run's
 * thread is left out). Two figures: the time spent inside the tracing observer's callbacks per
 * step, measured around each call, which is the cost tracing puts on the step's path; and the step
 * interval with tracing off and on, whose difference is the same cost seen through the noise of the
 * step itself (and includes the allocation the spans cause). A third figure makes one step's
 * observer calls in a tight loop, without the sandbox (see {@link #synthetic}).
 *
 * <pre>
 * TracingOverhead [--rounds 20] [--steps 30] [--skip 3] [--warmup-rounds 20]
 *                 [--synthetic-steps 20000] [--dir DIR]
 * </pre>
 */
public final class TracingOverhead {

  /** The figures: step intervals off and on, and the observer's own time per step. */
  record Result(
      Stats off,
      Stats on,
      Stats observerPerStep,
      Stats observerCpuPerStep,
      long spansExported,
      double syntheticNanosPerStep) {}

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private TracingOverhead() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    Result result =
        run(
            args.integer("rounds", 20),
            args.integer("steps", 30),
            args.integer("skip", 3),
            args.integer("warmup-rounds", 20),
            args.integer("synthetic-steps", 20_000),
            Path.of(args.string("dir", "codepilot-bench/target/tracing-overhead")));
    System.out.println(Machine.describe());
    System.out.println();
    System.out.println("| tracing | step interval, median (p25–p75) ms | p90 ms |");
    System.out.println("|---|---|---|");
    System.out.printf(
        "| off | %s | %s |%n",
        result.off().medianAndSpread(), Stats.ms(result.off().quantile(0.9)));
    System.out.printf(
        "| on | %s | %s |%n", result.on().medianAndSpread(), Stats.ms(result.on().quantile(0.9)));
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "time inside the tracing observer per step: median %.3f ms"
            + " (p90 %.3f ms) wall, %.3f ms (p90 %.3f ms) CPU, over %d rounds; difference of median"
            + " step intervals: %.3f ms; %d spans exported%n",
        result.observerPerStep().median() / 1e6,
        result.observerPerStep().quantile(0.9) / 1e6,
        result.observerCpuPerStep().median() / 1e6,
        result.observerCpuPerStep().quantile(0.9) / 1e6,
        result.observerPerStep().count(),
        (result.on().median() - result.off().median()) / 1e6,
        result.spansExported());
    System.out.printf(
        Locale.ROOT,
        "one step's observer calls in a tight loop: %.3f ms per step%n",
        result.syntheticNanosPerStep() / 1e6);
    System.exit(0);
  }

  static Result run(int rounds, int steps, int skip, int warmupRounds, Path dir) throws Exception {
    return run(rounds, steps, skip, warmupRounds, 20_000, dir);
  }

  static Result run(int rounds, int steps, int skip, int warmupRounds, int syntheticSteps, Path dir)
      throws Exception {
    if (steps <= skip + 1) {
      throw new IllegalArgumentException("--steps must exceed --skip + 1");
    }
    Path work = Files.createDirectories(dir.toAbsolutePath()).resolve("workspace");
    AtomicLong exported = new AtomicLong();
    SpanExporter spans =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> batch) {
            exported.addAndGet(batch.size());
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    MetricExporter metrics =
        new MetricExporter() {
          @Override
          public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return AggregationTemporality.CUMULATIVE;
          }

          @Override
          public CompletableResultCode export(Collection<MetricData> batch) {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(BatchSpanProcessor.builder(spans).build())
                    .build())
            .setMeterProvider(
                SdkMeterProvider.builder()
                    .registerMetricReader(
                        PeriodicMetricReader.builder(metrics)
                            .setInterval(Duration.ofSeconds(1))
                            .build())
                    .build())
            .build()) {
      CodePilotTelemetry telemetry = CodePilotTelemetry.create(sdk);
      for (int r = 0; r < warmupRounds; r++) {
        round(work, steps, skip, null, new ArrayList<>(), new long[1]);
        round(work, steps, skip, telemetry, new ArrayList<>(), new long[2]);
      }
      List<Long> off = new ArrayList<>();
      List<Long> on = new ArrayList<>();
      List<Long> observerPerStep = new ArrayList<>();
      List<Long> observerCpuPerStep = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        // Alternate which goes first, so that drift over time weighs on both alike.
        long[] inside = new long[2];
        if (r % 2 == 0) {
          round(work, steps, skip, null, off, new long[1]);
          round(work, steps, skip, telemetry, on, inside);
        } else {
          round(work, steps, skip, telemetry, on, inside);
          round(work, steps, skip, null, off, new long[1]);
        }
        observerPerStep.add(inside[0] / steps);
        observerCpuPerStep.add(inside[1] / steps);
      }
      sdk.getSdkTracerProvider().forceFlush().join(30, java.util.concurrent.TimeUnit.SECONDS);
      long spansOfRuns = exported.get();
      double synthetic;
      // A queue that holds every span of the loop, so that none is dropped (a dropped span
      // would cost less than a kept one).
      try (OpenTelemetrySdk loopSdk =
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(
                          BatchSpanProcessor.builder(spans)
                              .setMaxQueueSize(syntheticSteps * 6 + 1024)
                              .build())
                      .build())
              .setMeterProvider(
                  SdkMeterProvider.builder()
                      .registerMetricReader(PeriodicMetricReader.builder(metrics).build())
                      .build())
              .build()) {
        synthetic = synthetic(CodePilotTelemetry.create(loopSdk), syntheticSteps);
      }
      return new Result(
          Stats.of(off),
          Stats.of(on),
          Stats.of(observerPerStep),
          Stats.of(observerCpuPerStep),
          spansOfRuns,
          synthetic);
    }
  }

  /**
   * The observer's calls for one step of the workload (a model call, a block, four tool calls),
   * made {@code steps} times in a tight loop on one thread after as many untimed ones: the tracing
   * cost of a step with the JIT settled and no sandbox around it. Nanoseconds per step.
   */
  static double synthetic(CodePilotTelemetry telemetry, int steps) {
    ModelRequest request =
        ModelRequest.of("system", List.of(dev.codepilot.model.Message.user("task")));
    ModelReply reply =
        new ModelReply(
            Workload.REPLY,
            dev.codepilot.model.StopReason.END_TURN,
            new dev.codepilot.model.Usage(2000, 100, 0, 0));
    Map<String, Object> args = Map.of("sku", "A-100");
    RunObserver.ToolCallEnd toolEnd =
        new RunObserver.ToolCallEnd("stock_level", "7", java.util.Optional.empty(), false);
    RunObserver.BlockEnd blockEnd =
        new RunObserver.BlockEnd(RunObserver.BlockStatus.OK, "low stock: none", "");
    long elapsed = 0;
    for (int pass = 0; pass < 2; pass++) {
      RunObserver observer = telemetry.newObserver();
      observer.runStarted(
          new RunObserver.RunStart("Bench Agent", "bench", "task", "openai", "gpt-bench", steps));
      long started = System.nanoTime();
      for (int i = 1; i <= steps; i++) {
        observer.stepStarted(i);
        observer.modelCallStarted(request);
        observer.modelTextStarted();
        observer.modelCallEnded(reply);
        observer.blockStarted(Workload.BLOCK);
        for (int t = 0; t < 4; t++) {
          observer.toolCallStarted("stock_level", args);
          observer.toolCallEnded(toolEnd);
        }
        observer.blockEnded(blockEnd);
      }
      elapsed = System.nanoTime() - started;
      observer.runEnded(
          new RunObserver.RunEnd(
              "finished", steps, dev.codepilot.model.Usage.NONE, java.util.Optional.empty()));
    }
    return (double) elapsed / steps;
  }

  /** One runtime, {@code steps} steps; adds the kept step intervals, and the observer's time. */
  private static void round(
      Path work,
      int steps,
      int skip,
      CodePilotTelemetry telemetry,
      List<Long> intervals,
      long[] observerNanos)
      throws Exception {
    TimedModel model = new TimedModel(new InstantModel(Workload.REPLY, 0));
    AgentRuntime.Builder builder =
        AgentRuntime.builder(Workload.agent(work, steps)).model(model).consoleOutput(false);
    if (telemetry != null) {
      builder.observer(new Timed(telemetry.newObserver(), observerNanos));
    }
    long[] at = new long[steps + 1];
    try (AgentRuntime runtime = builder.build()) {
      runtime.registerTools(new Workload.Inventory());
      runtime.hooks().on(Event.Step.class, step -> at[step.step()] = System.nanoTime());
      runtime.run("Check the stock levels.");
    }
    List<TimedModel.Call> calls = model.calls();
    for (int step = skip + 2; step <= steps; step++) {
      intervals.add(at[step] - at[step - 1] - calls.get(step - 2).nanos());
    }
  }

  /**
   * Adds up the wall time ({@code nanos[0]}) and the CPU time ({@code nanos[1]}) spent in each call
   * of the observer it wraps. The calls come one after another (from the run's thread and the
   * sandbox's in turn), so plain adds suffice.
   */
  private record Timed(RunObserver inner, long[] nanos) implements RunObserver {

    @Override
    public void runStarted(RunStart run) {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.runStarted(run);
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }

    @Override
    public void stepStarted(int step) {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.stepStarted(step);
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }

    @Override
    public void modelCallStarted(ModelRequest request) {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.modelCallStarted(request);
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }

    @Override
    public void modelTextStarted() {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.modelTextStarted();
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }

    @Override
    public void modelCallEnded(ModelReply reply) {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.modelCallEnded(reply);
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }

    @Override
    public void modelCallFailed(ModelException failure) {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.modelCallFailed(failure);
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }

    @Override
    public void blockStarted(String code) {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.blockStarted(code);
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }

    @Override
    public void blockEnded(BlockEnd block) {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.blockEnded(block);
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }

    @Override
    public void toolCallStarted(String tool, Map<String, Object> args) {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.toolCallStarted(tool, args);
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }

    @Override
    public void toolCallEnded(ToolCallEnd call) {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.toolCallEnded(call);
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }

    @Override
    public void runEnded(RunEnd run) {
      long t = System.nanoTime();
      long c = THREADS.getCurrentThreadCpuTime();
      inner.runEnded(run);
      nanos[1] += THREADS.getCurrentThreadCpuTime() - c;
      nanos[0] += System.nanoTime() - t;
    }
  }
}
