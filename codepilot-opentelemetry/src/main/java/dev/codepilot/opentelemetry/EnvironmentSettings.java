package dev.codepilot.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads the {@code OTEL_*} settings: whether they ask for telemetry at all, and the defaults that
 * keep what they do not name switched off (the SDK's own defaults would export traces, metrics and
 * logs to {@code localhost:4318} as soon as it starts).
 */
final class EnvironmentSettings {

  private final Map<String, String> environment;

  EnvironmentSettings(Map<String, String> environment) {
    this.environment = environment;
  }

  /** The value of a variable, or of its system property ({@code otel.traces.exporter}). */
  String value(String variable) {
    String value = environment.get(variable);
    if (value == null) {
      value = System.getProperty(variable.toLowerCase(Locale.ROOT).replace('_', '.'));
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  boolean enabled() {
    if (CodePilotTelemetry.isTrue(value("OTEL_SDK_DISABLED"))) {
      return false;
    }
    return exporterNamed("OTEL_TRACES_EXPORTER")
        || exporterNamed("OTEL_METRICS_EXPORTER")
        || endpointFor("TRACES")
        || endpointFor("METRICS");
  }

  boolean captureContent() {
    return CodePilotTelemetry.isTrue(value(CodePilotTelemetry.CAPTURE_CONTENT_VARIABLE));
  }

  /** Configures the SDK and makes the telemetry with it; the SDK is what close() shuts. */
  <T> T configure(BiFunction<OpenTelemetry, AutoCloseable, T> make) {
    Map<String, String> defaults = defaults();
    OpenTelemetrySdk sdk;
    try {
      sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> defaults)
              // close() flushes; a second shutdown from the SDK's own hook would only log.
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
    } catch (ConfigurationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String grpc =
          String.valueOf(cause.getMessage()).contains("GrpcSender")
              ? " (only OTLP over HTTP is built in: set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
                  + " and the collector's HTTP port, usually 4318)"
              : "";
      throw new IllegalArgumentException(
          "the OpenTelemetry settings (OTEL_* variables) are"
              + " invalid: "
              + cause.getMessage()
              + grpc,
          e);
    }
    return make.apply(sdk, sdk);
  }

  /** What the SDK reads below the real environment and system properties. */
  Map<String, String> defaults() {
    Map<String, String> defaults = new HashMap<>();
    for (Map.Entry<String, String> entry : environment.entrySet()) {
      if (entry.getKey().startsWith("OTEL_")) {
        defaults.put(entry.getKey().toLowerCase(Locale.ROOT).replace('_', '.'), entry.getValue());
      }
    }
    if (value("OTEL_EXPORTER_OTLP_PROTOCOL") == null) {
      // The standard's default, and the one sender here: the JDK's HTTP client (no gRPC).
      defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    }
    if (value("OTEL_LOGS_EXPORTER") == null) {
      defaults.put("otel.logs.exporter", "none");
    }
    if (value("OTEL_TRACES_EXPORTER") == null && !endpointFor("TRACES")) {
      defaults.put("otel.traces.exporter", "none");
    }
    if (value("OTEL_METRICS_EXPORTER") == null && !endpointFor("METRICS")) {
      defaults.put("otel.metrics.exporter", "none");
    }
    String resource = value("OTEL_RESOURCE_ATTRIBUTES");
    if (value("OTEL_SERVICE_NAME") == null
        && (resource == null || !resource.contains("service.name="))) {
      defaults.put("otel.service.name", "codepilot");
    }
    return defaults;
  }

  private boolean exporterNamed(String variable) {
    String value = value(variable);
    return value != null && !value.equalsIgnoreCase("none");
  }

  private boolean endpointFor(String signal) {
    return value("OTEL_EXPORTER_OTLP_ENDPOINT") != null
        || value("OTEL_EXPORTER_OTLP_" + signal + "_ENDPOINT") != null;
  }
}
