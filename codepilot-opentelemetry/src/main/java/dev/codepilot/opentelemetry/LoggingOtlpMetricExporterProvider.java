package dev.codepilot.opentelemetry;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/**
 * {@code OTEL_METRICS_EXPORTER=logging-otlp}: metrics as OTLP JSON lines on standard error. Found
 * by the SDK's autoconfiguration through {@link java.util.ServiceLoader}; not for direct use.
 */
public final class LoggingOtlpMetricExporterProvider implements ConfigurableMetricExporterProvider {

  /** Made by {@link java.util.ServiceLoader}. */
  public LoggingOtlpMetricExporterProvider() {}

  @Override
  public MetricExporter createExporter(ConfigProperties config) {
    return new OtlpJsonLines.Metrics(() -> System.err);
  }

  @Override
  public String getName() {
    return "logging-otlp";
  }
}
