package dev.codepilot.opentelemetry;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.RunObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Traces and metrics of agent runs over OpenTelemetry, following the GenAI semantic conventions: an
 * {@code invoke_agent {agent}} span per run, with a {@code chat {model}} span per model call and an
 * {@code execute_code} span per control block beneath it, and an {@code execute_tool {tool}} span
 * per tool call beneath its block; the histograms {@code gen_ai.client.token.usage} and {@code
 * gen_ai.client.operation.duration}; and counters of runs, steps and security refusals.
 *
 * <pre>{@code
 * CodePilotTelemetry telemetry = CodePilotTelemetry.create(openTelemetry);
 * try (AgentRuntime runtime = telemetry.install(AgentRuntime.builder(agentFile)).build()) {
 *   runtime.run("Create hello.py");
 * }
 * }</pre>
 *
 * <p>A run's span is a child of the span current on the thread that calls {@code run}, so a run
 * inside an application's own trace joins it. What the model was sent and wrote, block code and
 * output, and tool arguments and results are recorded only when {@linkplain
 * Builder#captureContent(boolean) content capture} is on (off by default): they may hold secrets
 * and personal data.
 *
 * <p>{@link #fromEnvironment()} configures the OpenTelemetry SDK from the standard {@code OTEL_*}
 * environment variables, as the {@code codepilot} command does. Thread-safe.
 */
public final class CodePilotTelemetry implements AutoCloseable {

  /**
   * The environment variable that turns content capture on when {@code true}; the name the
   * OpenTelemetry GenAI instrumentations share.
   */
  public static final String CAPTURE_CONTENT_VARIABLE =
      "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

  private static final System.Logger LOG = System.getLogger(CodePilotTelemetry.class.getName());
  private static final TextMapGetter<Function<String, String>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
          return List.of();
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
          return carrier == null ? null : carrier.apply(key);
        }
      };

  private final OpenTelemetry openTelemetry;
  private final boolean captureContent;
  private final AutoCloseable owned;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final Tracer tracer;
  private final LongHistogram tokenUsage;
  private final DoubleHistogram duration;
  private final LongCounter runs;
  private final LongCounter steps;
  private final LongCounter refusals;

  private CodePilotTelemetry(
      OpenTelemetry openTelemetry, boolean captureContent, AutoCloseable owned) {
    this.openTelemetry = openTelemetry;
    this.captureContent = captureContent;
    this.owned = owned;
    String version =
        Optional.ofNullable(CodePilotTelemetry.class.getPackage().getImplementationVersion())
            .orElse("dev");
    this.tracer =
        openTelemetry
            .tracerBuilder(GenAi.INSTRUMENTATION)
            .setInstrumentationVersion(version)
            .build();
    Meter meter =
        openTelemetry
            .meterBuilder(GenAi.INSTRUMENTATION)
            .setInstrumentationVersion(version)
            .build();
    this.tokenUsage =
        meter
            .histogramBuilder(GenAi.TOKEN_USAGE)
            .ofLongs()
            .setUnit("{token}")
            .setDescription("Number of input and output tokens used.")
            .setExplicitBucketBoundariesAdvice(GenAi.TOKEN_BUCKETS)
            .build();
    this.duration =
        meter
            .histogramBuilder(GenAi.OPERATION_DURATION)
            .setUnit("s")
            .setDescription("GenAI operation duration.")
            .setExplicitBucketBoundariesAdvice(GenAi.DURATION_BUCKETS)
            .build();
    this.runs =
        meter
            .counterBuilder(GenAi.RUNS)
            .setUnit("{run}")
            .setDescription("Agent runs, by how they ended.")
            .build();
    this.steps =
        meter
            .counterBuilder(GenAi.STEPS)
            .setUnit("{step}")
            .setDescription("Agent steps: model calls with the blocks they wrote.")
            .build();
    this.refusals =
        meter
            .counterBuilder(GenAi.REFUSALS)
            .setUnit("{block}")
            .setDescription("Control blocks the security policy refused to run.")
            .build();
  }

  /** Telemetry on the application's OpenTelemetry, content capture off. */
  public static CodePilotTelemetry create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /** Starts building telemetry on the application's OpenTelemetry. */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /**
   * Telemetry on an OpenTelemetry SDK configured from the standard {@code OTEL_*} environment
   * variables and system properties, when they ask for it; empty otherwise, and then nothing is
   * started. See {@link #fromEnvironment(Map)}.
   */
  public static Optional<CodePilotTelemetry> fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * Telemetry on an OpenTelemetry SDK configured from {@code environment} (read like the process
   * environment, and below the real environment and system properties), when it asks for it.
   *
   * <p>It asks for it when it names an exporter ({@code OTEL_TRACES_EXPORTER} or {@code
   * OTEL_METRICS_EXPORTER}, other than {@code none}) or an OTLP endpoint ({@code
   * OTEL_EXPORTER_OTLP_ENDPOINT}, or one for traces or metrics), and {@code OTEL_SDK_DISABLED} is
   * not {@code true}. Then what is not named is not exported: traces go out only with a traces
   * exporter or an OTLP endpoint, metrics likewise, logs never; the service name defaults to {@code
   * codepilot}; content is captured when {@value #CAPTURE_CONTENT_VARIABLE} is {@code true}. {@code
   * logging-otlp} writes OTLP JSON to standard error, never standard output.
   *
   * <p>{@link #close()} flushes and shuts the SDK down; call it before the JVM exits (no shutdown
   * hook does it).
   *
   * @throws IllegalArgumentException when the SDK rejects the settings (an unknown exporter, a
   *     malformed endpoint, the {@code grpc} protocol, which is not built in); the message says
   *     which
   */
  public static Optional<CodePilotTelemetry> fromEnvironment(Map<String, String> environment) {
    Objects.requireNonNull(environment, "environment");
    EnvironmentSettings settings = new EnvironmentSettings(environment);
    if (!settings.enabled()) {
      return Optional.empty();
    }
    return Optional.of(
        settings.configure(
            (otel, owned) -> new CodePilotTelemetry(otel, settings.captureContent(), owned)));
  }

  /** A new observer for one runtime; add it with {@code hooks().addObserver}. */
  public RunObserver newObserver() {
    return new TracingObserver(this);
  }

  /** Adds a new observer to the runtime being built; returns the builder. */
  public AgentRuntime.Builder install(AgentRuntime.Builder builder) {
    return builder.observer(newObserver());
  }

  /** Adds a new observer to a built runtime; its next runs are traced. Returns the runtime. */
  public AgentRuntime install(AgentRuntime runtime) {
    runtime.hooks().addObserver(newObserver());
    return runtime;
  }

  /**
   * Starts the trace of an evaluation suite: a span {@code eval {suite}}, a child of the span
   * current on the calling thread, under which {@link EvalTrace#runCase} puts each case. End it
   * with {@link EvalTrace#end}.
   */
  public EvalTrace startEval(String suite) {
    return new EvalTrace(this, Objects.requireNonNull(suite, "suite"));
  }

  /**
   * Wraps a run started on behalf of an incoming request so that its trace continues the caller's:
   * the request's trace context ({@code traceparent} and {@code tracestate}, or whatever the
   * OpenTelemetry's propagators read) is extracted with {@code headers}, which looks a header up by
   * name, and made current around {@code run} on whichever thread runs it. A request with no trace
   * context starts a new trace.
   */
  public Runnable withRequestContext(Function<String, String> headers, Runnable run) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(run, "run");
    Context context =
        openTelemetry
            .getPropagators()
            .getTextMapPropagator()
            .extract(Context.root(), headers, HEADERS);
    return context.wrap(run);
  }

  /** True when message and tool contents are recorded. */
  public boolean capturesContent() {
    return captureContent;
  }

  /** The OpenTelemetry spans and measurements go to. */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /**
   * Flushes and shuts down the SDK that {@link #fromEnvironment()} configured; does nothing to an
   * OpenTelemetry the application passed in, which the application closes. Idempotent.
   */
  @Override
  public void close() {
    if (owned != null && closed.compareAndSet(false, true)) {
      try {
        owned.close();
      } catch (Exception e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "the OpenTelemetry SDK did not shut down cleanly: " + e,
            e);
      }
    }
  }

  Tracer tracer() {
    return tracer;
  }

  LongHistogram tokenUsage() {
    return tokenUsage;
  }

  DoubleHistogram duration() {
    return duration;
  }

  LongCounter runs() {
    return runs;
  }

  LongCounter steps() {
    return steps;
  }

  LongCounter refusals() {
    return refusals;
  }

  static boolean isTrue(String value) {
    return value != null && value.strip().toLowerCase(Locale.ROOT).equals("true");
  }

  /** Builds a {@link CodePilotTelemetry}. */
  public static final class Builder {

    private final OpenTelemetry openTelemetry;
    private boolean captureContent;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /**
     * Whether spans carry contents: the system prompt and messages sent to the model, its replies,
     * block code and output, tool arguments and results. Default false.
     */
    public Builder captureContent(boolean enabled) {
      this.captureContent = enabled;
      return this;
    }

    /** Builds the telemetry. */
    public CodePilotTelemetry build() {
      return new CodePilotTelemetry(openTelemetry, captureContent, null);
    }
  }
}
