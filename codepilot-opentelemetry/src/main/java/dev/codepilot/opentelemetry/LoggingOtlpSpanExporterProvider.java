package dev.codepilot.opentelemetry;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * {@code OTEL_TRACES_EXPORTER=logging-otlp}: spans as OTLP JSON lines on standard error. Found by
 * the SDK's autoconfiguration through {@link java.util.ServiceLoader}; not for direct use.
 */
public final class LoggingOtlpSpanExporterProvider implements ConfigurableSpanExporterProvider {

  /** Made by {@link java.util.ServiceLoader}. */
  public LoggingOtlpSpanExporterProvider() {}

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    return new OtlpJsonLines.Spans(() -> System.err);
  }

  @Override
  public String getName() {
    return "logging-otlp";
  }
}
