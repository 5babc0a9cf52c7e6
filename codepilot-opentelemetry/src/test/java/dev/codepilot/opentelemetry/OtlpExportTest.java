package dev.codepilot.opentelemetry;

import static dev.codepilot.opentelemetry.Agents.block;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.codepilot.AgentRuntime;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK configured from OTEL_* settings sends a run's spans and metrics over OTLP/HTTP to a real
 * receiver on loopback, which decodes them with the OTLP protobuf classes.
 */
class OtlpExportTest {

  @TempDir Path dir;

  private HttpServer receiver;
  private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/v1/traces",
        exchange -> {
          contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
          try (InputStream body = exchange.getRequestBody()) {
            traces.add(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.createContext(
        "/v1/metrics",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            metrics.add(ExportMetricsServiceRequest.parseFrom(body.readAllBytes()));
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void spansAndMetricsReachAnOtlpReceiverOverHttp() throws Exception {
    String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort();
    Optional<CodePilotTelemetry> configured =
        CodePilotTelemetry.fromEnvironment(
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_SERVICE_NAME", "otlp-test"));
    assertThat(configured).isPresent();

    try (CodePilotTelemetry telemetry = configured.get();
        AgentRuntime runtime =
            telemetry
                .install(
                    AgentRuntime.builder(Agents.agentFile(dir, ""))
                        .model(
                            Agents.scripted(
                                block("write_file('a.txt')") + "\n```\nalpha\n```",
                                block("done('made')")))
                        .sessionId("otlp-session"))
                .build()) {
      assertThat(runtime.run("make a.txt").finished()).isTrue();
    }
    // close() flushed the batch processor and the metric reader before returning.

    assertThat(contentTypes).allMatch(type -> type.startsWith("application/x-protobuf"));
    List<ResourceSpans> resources =
        traces.stream().flatMap(request -> request.getResourceSpansList().stream()).toList();
    assertThat(resources).isNotEmpty();
    assertThat(attribute(resources.getFirst().getResource().getAttributesList(), "service.name"))
        .isEqualTo("otlp-test");
    List<Span> spans =
        resources.stream()
            .flatMap(r -> r.getScopeSpansList().stream())
            .map(ScopeSpans::getSpansList)
            .flatMap(List::stream)
            .toList();
    assertThat(spans)
        .extracting(Span::getName)
        .containsExactlyInAnyOrder(
            "invoke_agent Tracer",
            "chat claude-test",
            "execute_code",
            "execute_tool write_file",
            "chat claude-test",
            "execute_code");
    Span agent =
        spans.stream()
            .filter(s -> s.getName().startsWith("invoke_agent"))
            .findFirst()
            .orElseThrow();
    assertThat(attribute(agent.getAttributesList(), "gen_ai.conversation.id"))
        .isEqualTo("otlp-session");
    Span tool =
        spans.stream()
            .filter(s -> s.getName().startsWith("execute_tool"))
            .findFirst()
            .orElseThrow();
    Span code =
        spans.stream()
            .filter(s -> s.getSpanId().equals(tool.getParentSpanId()))
            .findFirst()
            .orElseThrow();
    assertThat(code.getName()).isEqualTo("execute_code");
    assertThat(code.getParentSpanId()).isEqualTo(agent.getSpanId());

    List<String> metricNames =
        metrics.stream()
            .flatMap(request -> request.getResourceMetricsList().stream())
            .flatMap(r -> r.getScopeMetricsList().stream())
            .flatMap(s -> s.getMetricsList().stream())
            .map(m -> m.getName())
            .distinct()
            .toList();
    assertThat(metricNames)
        .contains(
            "gen_ai.client.token.usage",
            "gen_ai.client.operation.duration",
            "codepilot.agent.runs",
            "codepilot.agent.steps");
  }

  @Test
  void loggingOtlpWritesOneOtlpJsonObjectPerLineToStandardError() throws Exception {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try (CodePilotTelemetry telemetry =
            CodePilotTelemetry.fromEnvironment(
                    Map.of(
                        "OTEL_TRACES_EXPORTER",
                        "logging-otlp",
                        "OTEL_METRICS_EXPORTER",
                        "logging-otlp"))
                .orElseThrow();
        AgentRuntime runtime =
            telemetry
                .install(
                    AgentRuntime.builder(Agents.agentFile(dir, ""))
                        .model(Agents.scripted(block("done('made')"))))
                .build()) {
      assertThat(runtime.run("finish").finished()).isTrue();
    } finally {
      System.setErr(original);
    }

    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> lines =
        captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    List<String> spanNames = new java.util.ArrayList<>();
    List<String> metricNames = new java.util.ArrayList<>();
    String traceId = null;
    for (String line : lines) {
      com.fasterxml.jackson.databind.JsonNode node = json.readTree(line);
      for (com.fasterxml.jackson.databind.JsonNode scope : node.path("scopeSpans")) {
        for (com.fasterxml.jackson.databind.JsonNode span : scope.path("spans")) {
          spanNames.add(span.path("name").asText());
          traceId = span.path("traceId").asText();
        }
      }
      for (com.fasterxml.jackson.databind.JsonNode scope : node.path("scopeMetrics")) {
        scope.path("metrics").forEach(metric -> metricNames.add(metric.path("name").asText()));
      }
    }
    assertThat(spanNames)
        .containsExactlyInAnyOrder("invoke_agent Tracer", "chat claude-test", "execute_code");
    assertThat(traceId).matches("[0-9a-f]{32}");
    assertThat(metricNames).contains("gen_ai.client.token.usage", "codepilot.agent.runs");
  }

  @Test
  void withoutExporterOrEndpointNothingIsConfigured() {
    assertThat(CodePilotTelemetry.fromEnvironment(Map.of())).isEmpty();
    assertThat(CodePilotTelemetry.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "x"))).isEmpty();
    assertThat(CodePilotTelemetry.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "none")))
        .isEmpty();
    assertThat(
            CodePilotTelemetry.fromEnvironment(
                Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SDK_DISABLED", "true")))
        .isEmpty();
  }

  @Test
  void whatTheSettingsDoNotNameStaysOff() {
    EnvironmentSettings tracesOnly =
        new EnvironmentSettings(Map.of("OTEL_TRACES_EXPORTER", "logging-otlp"));
    assertThat(tracesOnly.enabled()).isTrue();
    assertThat(tracesOnly.defaults())
        .containsEntry("otel.traces.exporter", "logging-otlp")
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "none")
        .containsEntry("otel.service.name", "codepilot");
    EnvironmentSettings endpoint =
        new EnvironmentSettings(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://collector:4318",
                "OTEL_RESOURCE_ATTRIBUTES",
                "service.name=mine",
                CodePilotTelemetry.CAPTURE_CONTENT_VARIABLE,
                "true"));
    assertThat(endpoint.defaults())
        .doesNotContainKeys("otel.traces.exporter", "otel.metrics.exporter", "otel.service.name");
    assertThat(endpoint.captureContent()).isTrue();
    assertThat(tracesOnly.captureContent()).isFalse();
  }

  @Test
  void settingsTheSdkRejectsAreAnErrorThatSaysWhy() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                CodePilotTelemetry.fromEnvironment(
                    Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                CodePilotTelemetry.fromEnvironment(
                    Map.of("OTEL_TRACES_EXPORTER", "carrier-pigeon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("carrier-pigeon");
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .findFirst()
        .map(KeyValue::getValue)
        .map(AnyValue::getStringValue)
        .orElse(null);
  }
}
