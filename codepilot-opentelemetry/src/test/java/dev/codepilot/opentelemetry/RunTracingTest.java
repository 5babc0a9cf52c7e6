package dev.codepilot.opentelemetry;

import static dev.codepilot.opentelemetry.Agents.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of a real runtime, traced into the SDK's in-memory exporters. */
class RunTracingTest {

  private static final String WORK =
      block(
              """
      print('writing')
      write_file('a.txt')
      try:
          read_file('missing.txt')
      except FileNotFoundError:
          pass""")
          + "\n```\nalpha\n```";

  @TempDir Path dir;

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .build();

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  private RunResult run(
      CodePilotTelemetry telemetry, String task, String extraTools, String... replies)
      throws Exception {
    try (AgentRuntime runtime =
        telemetry
            .install(
                AgentRuntime.builder(Agents.agentFile(dir, extraTools))
                    .model(Agents.scripted(replies))
                    .sessionId("session-7"))
            .build()) {
      return runtime.run(task);
    }
  }

  @Test
  void aRunIsOneAgentSpanWithChatAndCodeSpansAndToolSpansUnderTheirBlock() throws Exception {
    RunResult result =
        run(CodePilotTelemetry.create(sdk), "make a.txt", "", WORK, block("done('made')"));

    assertThat(result.finished()).isTrue();
    List<SpanData> all = spans.getFinishedSpanItems();
    assertThat(all)
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder(
            "invoke_agent Tracer",
            "chat claude-test",
            "execute_code",
            "execute_tool write_file",
            "execute_tool read_file",
            "chat claude-test",
            "execute_code");
    SpanData agent = named(all, "invoke_agent Tracer").getFirst();
    assertThat(agent.getParentSpanContext().isValid()).isFalse();
    assertThat(agent.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(agent.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("gen_ai.operation.name"), "invoke_agent")
        .containsEntry(AttributeKey.stringKey("gen_ai.agent.name"), "Tracer")
        .containsEntry(AttributeKey.stringKey("gen_ai.conversation.id"), "session-7")
        .containsEntry(AttributeKey.stringKey("codepilot.run.outcome"), "finished")
        .containsEntry(AttributeKey.longKey("codepilot.run.steps"), 2L)
        .containsEntry(AttributeKey.longKey("gen_ai.usage.input_tokens"), 200L)
        .containsEntry(AttributeKey.longKey("gen_ai.usage.output_tokens"), 40L);

    for (SpanData child : all) {
      if (child.getName().startsWith("chat") || child.getName().equals("execute_code")) {
        assertThat(child.getParentSpanId()).as(child.getName()).isEqualTo(agent.getSpanId());
        assertThat(child.getTraceId()).isEqualTo(agent.getTraceId());
      }
    }
    SpanData chat = named(all, "chat claude-test").getFirst();
    assertThat(chat.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(chat.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("gen_ai.operation.name"), "chat")
        .containsEntry(AttributeKey.stringKey("gen_ai.provider.name"), "anthropic")
        .containsEntry(AttributeKey.stringKey("gen_ai.request.model"), "claude-test")
        .containsEntry(AttributeKey.longKey("gen_ai.usage.input_tokens"), 100L)
        .containsEntry(AttributeKey.longKey("gen_ai.usage.output_tokens"), 20L)
        .containsEntry(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"), 40L)
        .containsEntry(
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"));
    assertThat(chat.getEvents())
        .extracting(EventData::getName)
        .containsExactly("gen_ai.first_token");

    SpanData firstBlock =
        named(all, "execute_code").stream()
            .filter(
                s ->
                    s.getAttributes().get(AttributeKey.longKey("codepilot.block.output_chars")) > 0)
            .findFirst()
            .orElseThrow();
    assertThat(firstBlock.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("codepilot.block.verdict"), "allowed")
        .containsEntry(AttributeKey.stringKey("codepilot.block.status"), "ok")
        .containsEntry(AttributeKey.longKey("codepilot.block.output_chars"), 8L);
    SpanData write = named(all, "execute_tool write_file").getFirst();
    SpanData read = named(all, "execute_tool read_file").getFirst();
    assertThat(write.getParentSpanId()).isEqualTo(firstBlock.getSpanId());
    assertThat(read.getParentSpanId()).isEqualTo(firstBlock.getSpanId());
    assertThat(write.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("gen_ai.operation.name"), "execute_tool")
        .containsEntry(AttributeKey.stringKey("gen_ai.tool.name"), "write_file");
    assertThat(write.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(read.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(read.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("FileNotFoundError");
    assertThat(read.getEvents()).extracting(EventData::getName).containsExactly("exception");
    assertThat(
            read.getEvents()
                .getFirst()
                .getAttributes()
                .get(AttributeKey.stringKey("exception.type")))
        .isEqualTo("FileNotFoundError");
    assertThat(write.getStartEpochNanos()).isGreaterThanOrEqualTo(firstBlock.getStartEpochNanos());
    assertThat(read.getEndEpochNanos()).isLessThanOrEqualTo(firstBlock.getEndEpochNanos());
  }

  @Test
  void contentIsLeftOutUnlessCaptureIsOn() throws Exception {
    run(CodePilotTelemetry.create(sdk), "secret task", "", WORK, block("done('made')"));
    for (SpanData span : spans.getFinishedSpanItems()) {
      assertThat(span.getAttributes().asMap().keySet())
          .extracting(AttributeKey::getKey)
          .as(span.getName())
          .doesNotContain(
              "gen_ai.input.messages",
              "gen_ai.output.messages",
              "gen_ai.system_instructions",
              "gen_ai.tool.call.arguments",
              "gen_ai.tool.call.result",
              "codepilot.block.code",
              "codepilot.block.output");
      assertThat(span.getAttributes().toString()).doesNotContain("secret task", "alpha");
    }
    spans.reset();

    run(
        CodePilotTelemetry.builder(sdk).captureContent(true).build(),
        "secret task",
        "",
        WORK,
        block("done('made')"));

    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData chat = named(all, "chat claude-test").getFirst();
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
        .isEqualTo(
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\","
                + "\"content\":\"[USER INPUT]\\nsecret task\"}]}]");
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")))
        .contains("\"role\":\"assistant\"", "write_file('a.txt')", "\"finish_reason\":\"stop\"");
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.system_instructions")))
        .contains("Be brief.");
    SpanData write = named(all, "execute_tool write_file").getFirst();
    assertThat(write.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.arguments")))
        .isEqualTo("{\"path\":\"a.txt\"}");
    assertThat(write.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.result")))
        .contains("a.txt");
    assertThat(
            named(all, "execute_code")
                .getFirst()
                .getAttributes()
                .get(AttributeKey.stringKey("codepilot.block.code")))
        .contains("write_file('a.txt')");
  }

  @Test
  void refusalsAndModelFailuresAreErrorsAndAreCounted() throws Exception {
    RunResult result = run(CodePilotTelemetry.create(sdk), "try", "", block("import os"));

    assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData refused = named(all, "execute_code").getFirst();
    assertThat(refused.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("codepilot.block.verdict"), "refused")
        .containsEntry(AttributeKey.stringKey("error.type"), "refused");
    assertThat(refused.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(refused.getStatus().getDescription()).contains("os");
    SpanData failedChat = named(all, "chat claude-test").get(1);
    assertThat(failedChat.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failedChat.getEvents()).extracting(EventData::getName).contains("exception");
    SpanData agent = named(all, "invoke_agent Tracer").getFirst();
    assertThat(agent.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(agent.getAttributes().get(AttributeKey.stringKey("codepilot.run.outcome")))
        .isEqualTo("failed");

    Collection<MetricData> data = metrics.collectAllMetrics();
    assertThat(sum(data, "codepilot.security.refusals")).isEqualTo(1);
    assertThat(sum(data, "codepilot.agent.steps")).isEqualTo(2);
    assertThat(metric(data, "codepilot.agent.runs").getLongSumData().getPoints())
        .singleElement()
        .satisfies(
            point ->
                assertThat(
                        point.getAttributes().get(AttributeKey.stringKey("codepilot.run.outcome")))
                    .isEqualTo("failed"));
  }

  @Test
  void tokenUsageAndDurationsAreRecordedAsTheConventionsNameThem() throws Exception {
    run(CodePilotTelemetry.create(sdk), "make a.txt", "", WORK, block("done('made')"));

    Collection<MetricData> data = metrics.collectAllMetrics();
    MetricData tokens = metric(data, "gen_ai.client.token.usage");
    assertThat(tokens.getUnit()).isEqualTo("{token}");
    assertThat(tokens.getHistogramData().getPoints())
        .hasSize(2)
        .allSatisfy(
            point -> {
              assertThat(point.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
                  .isEqualTo("chat");
              assertThat(point.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                  .isEqualTo("claude-test");
              assertThat(point.getCount()).isEqualTo(2);
            });
    assertThat(tokens.getHistogramData().getPoints())
        .extracting(
            p ->
                p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type"))
                    + "="
                    + (long) p.getSum())
        .containsExactlyInAnyOrder("input=200", "output=40");
    MetricData duration = metric(data, "gen_ai.client.operation.duration");
    assertThat(duration.getUnit()).isEqualTo("s");
    assertThat(duration.getHistogramData().getPoints())
        .extracting(
            p ->
                p.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))
                    + " x"
                    + p.getCount())
        .containsExactlyInAnyOrder("chat x2", "invoke_agent x1");
    assertThat(duration.getHistogramData().getPoints())
        .allSatisfy(p -> assertThat(((HistogramPointData) p).getSum()).isPositive());
    assertThat(sum(data, "codepilot.agent.runs")).isEqualTo(1);
  }

  @Test
  void aDeniedToolCallIsMarkedDeniedNotFailed() throws Exception {
    Path agentFile = Agents.agentFile(dir, "");
    java.nio.file.Files.writeString(
        agentFile,
        java.nio.file.Files.readString(agentFile)
            .replace(
                "- name: \"write_file\"\n      enabled: true",
                "- name: \"write_file\"\n      enabled: true\n      config:\n        require_permission: true"));
    try (AgentRuntime runtime =
        CodePilotTelemetry.create(sdk)
            .install(
                AgentRuntime.builder(agentFile).model(Agents.scripted(WORK, block("done('made')"))))
            .build()) {
      runtime.setPermissionGate(request -> false);
      assertThat(runtime.run("make a.txt").finished()).isTrue();
    }

    SpanData write = named(spans.getFinishedSpanItems(), "execute_tool write_file").getFirst();
    assertThat(write.getAttributes().get(AttributeKey.booleanKey("codepilot.tool.denied")))
        .isTrue();
    assertThat(write.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void aRunJoinsTheTraceCurrentOnTheCallingThread() throws Exception {
    Tracer tracer = sdk.getTracer("app");
    Span request = tracer.spanBuilder("handle request").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      run(CodePilotTelemetry.create(sdk), "make a.txt", "", block("done('made')"));
    } finally {
      request.end();
    }

    SpanData agent = named(spans.getFinishedSpanItems(), "invoke_agent Tracer").getFirst();
    assertThat(agent.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
    assertThat(agent.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
  }

  @Test
  void aRequestsTraceparentBecomesTheRunsParentOnAnotherThread() throws Exception {
    CodePilotTelemetry telemetry =
        CodePilotTelemetry.create(
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(
                    io.opentelemetry.context.propagation.ContextPropagators.create(
                        io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
                            .getInstance()))
                .build());
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "00f067aa0ba902b7";
    java.util.Map<String, String> headers =
        java.util.Map.of("traceparent", "00-" + traceId + "-" + parentId + "-01");
    java.util.concurrent.atomic.AtomicReference<RunResult> result =
        new java.util.concurrent.atomic.AtomicReference<>();
    Runnable body =
        telemetry.withRequestContext(
            headers::get,
            () -> {
              try {
                result.set(run(telemetry, "make a.txt", "", block("done('made')")));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread thread = Thread.ofVirtual().start(body);
    thread.join();

    assertThat(result.get().finished()).isTrue();
    SpanData agent = named(spans.getFinishedSpanItems(), "invoke_agent Tracer").getFirst();
    assertThat(agent.getTraceId()).isEqualTo(traceId);
    assertThat(agent.getParentSpanId()).isEqualTo(parentId);
    assertThat(agent.getParentSpanContext().isRemote()).isTrue();
  }

  private static List<SpanData> named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).toList();
  }

  private static MetricData metric(Collection<MetricData> data, String name) {
    return data.stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + data));
  }

  private static long sum(Collection<MetricData> data, String name) {
    return metric(data, name).getLongSumData().getPoints().stream()
        .mapToLong(LongPointData::getValue)
        .sum();
  }
}
