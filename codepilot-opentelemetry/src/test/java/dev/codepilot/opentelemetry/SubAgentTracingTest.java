package dev.codepilot.opentelemetry;

import static dev.codepilot.opentelemetry.Agents.block;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.hooks.RunObserver;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A traced parent traces the runs of its sub-agents as children of the calls that ran them. */
class SubAgentTracingTest {

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
  void aSubAgentOfTheAgentFileRunsAsAChildOfItsToolCallInTheSameTrace() throws Exception {
    Path child = dir.resolve("helper");
    Files.createDirectories(child.resolve("workspace"));
    Files.writeString(
        child.resolve("cassette.json"),
        new ObjectMapper()
            .writeValueAsString(
                Map.of("responses", List.of(block("print('counting')"), block("done('three')")))));
    Files.writeString(
        child.resolve("agent.yaml"),
        """
        agent:
          name: "Helper"
          model: {provider: replay, cassette: ./cassette.json}
          runtime: {work_dir: ./workspace}
        """);
    Path parent =
        Agents.agentFile(
            dir,
            """
          agents:
            - name: "helper"
              file: "./helper/agent.yaml"
        """);
    CodePilotTelemetry telemetry = CodePilotTelemetry.create(sdk);
    try (AgentRuntime runtime =
        telemetry
            .install(
                AgentRuntime.builder(parent)
                    .model(Agents.scripted(block("print(helper('count'))"), block("done('ok')"))))
            .build()) {
      RunResult result = runtime.run("delegate");
      assertThat(result.finished()).as(result.toString()).isTrue();
    }

    assertNested(spans.getFinishedSpanItems(), "Helper", "chat");
  }

  @Test
  void aSubAgentAddedInCodeWithoutObserversIsTracedAndOneWithItsOwnIsLeftAlone() throws Exception {
    Path childFile = Agents.agentFile(Files.createDirectories(dir.resolve("child")), "");
    CodePilotTelemetry telemetry = CodePilotTelemetry.create(sdk);
    AgentRuntime bare =
        AgentRuntime.builder(childFile)
            .model(Agents.scripted(block("print(2)"), block("done('two')")))
            .build();
    AtomicInteger ownRuns = new AtomicInteger();
    AgentRuntime observed =
        AgentRuntime.builder(childFile)
            .model(Agents.scripted(block("done('three')")))
            .observer(
                new RunObserver() {
                  @Override
                  public void runStarted(RunStart run) {
                    ownRuns.incrementAndGet();
                  }
                })
            .build();
    Path parentFile = Agents.agentFile(Files.createDirectories(dir.resolve("parent")), "");
    try (AgentRuntime runtime =
        telemetry
            .install(
                AgentRuntime.builder(parentFile)
                    .model(
                        Agents.scripted(
                            block("print(bare('a'), observed('b'))"), block("done('ok')")))
                    .subAgent("bare", bare)
                    .subAgent("observed", observed))
            .build()) {
      RunResult result = runtime.run("delegate");
      assertThat(result.finished()).as(result.toString()).isTrue();
    }

    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData bareRun =
        assertNested(all, "Tracer", "chat claude-test").stream()
            .filter(
                s ->
                    s.getParentSpanContext()
                        .getSpanId()
                        .equals(tool(all, "bare").getSpanContext().getSpanId()))
            .findFirst()
            .orElseThrow();
    assertThat(bareRun.getName()).isEqualTo("invoke_agent Tracer");
    assertThat(ownRuns).hasValue(1);
    // The sub-agent with an observer of its own was not traced: two agent runs in all.
    assertThat(all).filteredOn(s -> s.getName().startsWith("invoke_agent")).hasSize(2);
    assertThat(all)
        .filteredOn(
            s ->
                s.getParentSpanContext()
                    .getSpanId()
                    .equals(tool(all, "observed").getSpanContext().getSpanId()))
        .isEmpty();
  }

  /**
   * Checks that the run of agent {@code child} is the child of the parent's {@code execute_tool}
   * span, in its trace, with its own chat and code spans beneath it, and returns the child runs
   * found.
   */
  private static List<SpanData> assertNested(List<SpanData> all, String child, String chat) {
    SpanData root =
        all.stream()
            .filter(
                s -> s.getName().startsWith("invoke_agent") && !s.getParentSpanContext().isValid())
            .findFirst()
            .orElseThrow();
    List<SpanData> childRuns =
        all.stream()
            .filter(
                s ->
                    s.getName().equals("invoke_agent " + child)
                        && s.getParentSpanContext().isValid())
            .toList();
    assertThat(childRuns).as("the sub-agent's run spans in %s", all).isNotEmpty();
    for (SpanData run : childRuns) {
      SpanData call =
          all.stream()
              .filter(
                  s ->
                      s.getSpanContext().getSpanId().equals(run.getParentSpanContext().getSpanId()))
              .findFirst()
              .orElseThrow();
      assertThat(call.getName()).startsWith("execute_tool ");
      assertThat(run.getTraceId()).isEqualTo(root.getTraceId());
      assertThat(under(all, run)).extracting(SpanData::getName).contains(chat, "execute_code");
      SpanData block =
          all.stream()
              .filter(
                  s ->
                      s.getSpanContext()
                          .getSpanId()
                          .equals(call.getParentSpanContext().getSpanId()))
              .findFirst()
              .orElseThrow();
      assertThat(block.getName()).isEqualTo("execute_code");
      assertThat(block.getParentSpanContext().getSpanId())
          .isEqualTo(root.getSpanContext().getSpanId());
    }
    return childRuns;
  }

  private static List<SpanData> under(List<SpanData> all, SpanData parent) {
    return all.stream()
        .filter(
            s -> s.getParentSpanContext().getSpanId().equals(parent.getSpanContext().getSpanId()))
        .toList();
  }

  private static SpanData tool(List<SpanData> all, String name) {
    return all.stream()
        .filter(s -> s.getName().equals("execute_tool " + name))
        .findFirst()
        .orElseThrow();
  }
}
