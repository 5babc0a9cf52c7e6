/**
 * Traces and metrics of agent runs over OpenTelemetry, following the GenAI semantic conventions:
 * {@code dev.codepilot.opentelemetry}.
 */
// OpenTelemetry's jars have Automatic-Module-Names but no module descriptors.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.codepilot.opentelemetry {
  requires transitive dev.codepilot;
  requires transitive io.opentelemetry.api;
  requires transitive io.opentelemetry.context;
  requires io.opentelemetry.exporter.internal;
  requires io.opentelemetry.exporter.internal.otlp;
  requires io.opentelemetry.sdk;
  requires io.opentelemetry.sdk.autoconfigure;
  requires transitive io.opentelemetry.sdk.autoconfigure.spi;
  requires io.opentelemetry.sdk.common;
  requires transitive io.opentelemetry.sdk.metrics;
  requires transitive io.opentelemetry.sdk.trace;

  exports dev.codepilot.opentelemetry;

  provides io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider with
      dev.codepilot.opentelemetry.LoggingOtlpMetricExporterProvider;
  provides io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider with
      dev.codepilot.opentelemetry.LoggingOtlpSpanExporterProvider;
}
