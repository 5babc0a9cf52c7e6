package dev.codepilot.opentelemetry;

import static dev.codepilot.opentelemetry.Agents.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An evaluation suite is one trace: the suite's span, a span per case, the runs beneath. */
class EvalTraceTest {

  @TempDir Path dir;

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  @Test
  void casesOnOtherThreadsNestUnderTheSuiteWithTheirRunsAndVerdicts() throws Exception {
    CodePilotTelemetry telemetry = CodePilotTelemetry.create(sdk);
    EvalTrace trace = telemetry.startEval("smoke");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<String>>> cases =
          List.of("good", "bad").stream()
              .map(
                  name ->
                      pool.submit(
                          () ->
                              trace.runCase(
                                  name,
                                  1,
                                  () -> {
                                    Path agent =
                                        Agents.agentFile(
                                            Files.createDirectories(dir.resolve(name)), "");
                                    try (AgentRuntime runtime =
                                        telemetry
                                            .install(
                                                AgentRuntime.builder(agent)
                                                    .model(
                                                        Agents.scripted(
                                                            block("done('" + name + "')"))))
                                            .build()) {
                                      RunResult result = runtime.run("be " + name);
                                      return result.summary().orElse("").equals("good")
                                          ? List.<String>of()
                                          : List.of("summary is not good");
                                    }
                                  },
                                  failures -> failures)))
              .toList();
      for (Future<List<String>> one : cases) {
        one.get();
      }
    } finally {
      pool.shutdown();
    }
    trace.end(1, 1);
    assertThatThrownBy(
            () ->
                trace.runCase(
                    "boom",
                    1,
                    () -> {
                      throw new IllegalStateException("no model");
                    },
                    x -> List.of()))
        .hasMessage("no model");

    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData suite = named(all, "eval smoke");
    assertThat(suite.getParentSpanContext().isValid()).isFalse();
    assertThat(suite.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(suite.getAttributes().get(AttributeKey.longKey("codepilot.eval.failed_count")))
        .isEqualTo(1L);
    for (String name : List.of("good", "bad")) {
      SpanData oneCase = named(all, "eval_case " + name);
      assertThat(oneCase.getTraceId()).isEqualTo(suite.getTraceId());
      assertThat(oneCase.getParentSpanId()).isEqualTo(suite.getSpanId());
      SpanData run =
          all.stream()
              .filter(
                  s ->
                      s.getName().equals("invoke_agent Tracer")
                          && s.getParentSpanId().equals(oneCase.getSpanId()))
              .findFirst()
              .orElseThrow();
      assertThat(all)
          .filteredOn(s -> s.getParentSpanId().equals(run.getSpanId()))
          .extracting(SpanData::getName)
          .contains("chat claude-test", "execute_code");
    }
    SpanData good = named(all, "eval_case good");
    SpanData bad = named(all, "eval_case bad");
    assertThat(good.getAttributes().get(AttributeKey.booleanKey("codepilot.eval.passed"))).isTrue();
    assertThat(good.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(bad.getAttributes().get(AttributeKey.stringArrayKey("codepilot.eval.failures")))
        .containsExactly("summary is not good");
    assertThat(bad.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    SpanData boom = named(all, "eval_case boom");
    assertThat(boom.getEvents()).extracting(e -> e.getName()).contains("exception");
  }

  private static SpanData named(List<SpanData> all, String name) {
    return all.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + all));
  }
}
