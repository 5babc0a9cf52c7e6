package dev.codepilot.opentelemetry;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.ResourceMetricsMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.ResourceSpansMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The {@code logging-otlp} exporters: each batch as OTLP JSON on standard error, one {@code
 * ResourceSpans} or {@code ResourceMetrics} object per line, as the OpenTelemetry exporter of that
 * name writes them, for a collector's file receiver or a script to read. The JSON is the SDK's own
 * OTLP encoding (its marshalers, of the same release as the SDK).
 */
final class OtlpJsonLines {

  private OtlpJsonLines() {}

  /** Writes each marshaler's JSON as one line; false when one could not be encoded. */
  private static boolean write(Supplier<PrintStream> out, Marshaler[] marshalers) {
    PrintStream stream = out.get();
    boolean ok = true;
    for (Marshaler marshaler : marshalers) {
      ByteArrayOutputStream json = new ByteArrayOutputStream();
      try {
        marshaler.writeJsonTo(json);
      } catch (IOException | RuntimeException e) {
        ok = false;
        continue;
      }
      synchronized (stream) {
        stream.println(json.toString(StandardCharsets.UTF_8));
        stream.flush();
      }
    }
    return ok;
  }

  private static CompletableResultCode result(boolean ok) {
    return ok ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
  }

  /** Spans as OTLP JSON lines. */
  static final class Spans implements SpanExporter {
    private final Supplier<PrintStream> out;

    Spans(Supplier<PrintStream> out) {
      this.out = out;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return result(write(out, ResourceSpansMarshaler.create(spans)));
    }

    @Override
    public CompletableResultCode flush() {
      out.get().flush();
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return flush();
    }
  }

  /** Metrics as OTLP JSON lines, cumulative. */
  static final class Metrics implements MetricExporter {
    private final Supplier<PrintStream> out;

    Metrics(Supplier<PrintStream> out) {
      this.out = out;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      return result(write(out, ResourceMetricsMarshaler.create(metrics)));
    }

    @Override
    public CompletableResultCode flush() {
      out.get().flush();
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return flush();
    }
  }
}
