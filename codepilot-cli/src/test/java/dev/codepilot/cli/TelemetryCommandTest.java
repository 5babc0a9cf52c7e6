package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command configures OpenTelemetry from OTEL_* variables: spans go to standard error as OTLP
 * JSON with {@code logging-otlp}, standard output stays the JSON event stream, and {@code serve}
 * continues the trace of the request that started a run.
 */
class TelemetryCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void loggingOtlpWritesSpansToStandardErrorWhileJsonStdoutStaysClean() throws Exception {
    Path example = Cli.copyExample("hello", dir.resolve("hello"));

    Cli.Result run =
        Cli.run(
            dir,
            Map.of("OTEL_TRACES_EXPORTER", "logging-otlp"),
            "run",
            example.resolve("agent.yaml").toString(),
            "Say hello",
            "--json");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    for (String line : run.stdoutLines()) {
      JsonNode event = JSON.readTree(line);
      assertThat(event.has("event")).as(line).isTrue();
      assertThat(event.has("resourceSpans")).isFalse();
    }
    List<JsonNode> spans = spans(run.stderr());
    assertThat(spans)
        .as(run.stderr())
        .extracting(span -> span.get("name").asText())
        .contains(
            "invoke_agent Hello Agent",
            "chat",
            "execute_code",
            "execute_tool write_file",
            "execute_tool run_command");
    JsonNode agent =
        spans.stream()
            .filter(s -> s.get("name").asText().startsWith("invoke"))
            .findFirst()
            .orElseThrow();
    JsonNode code =
        spans.stream()
            .filter(s -> s.get("name").asText().equals("execute_code"))
            .findFirst()
            .orElseThrow();
    assertThat(code.get("parentSpanId").asText()).isEqualTo(agent.get("spanId").asText());
    assertThat(attribute(agent, "gen_ai.agent.name")).isEqualTo("Hello Agent");
  }

  @Test
  void anEvalSuiteIsOneTraceWithASpanPerCaseAndTheCasesRunsBeneathIt() throws Exception {
    EvalFixtures.agent(
        dir,
        Map.of(
            "pass.json", List.of(EvalFixtures.block("done('all good')")),
            "fail.json", List.of(EvalFixtures.block("done('nothing')"))));
    java.nio.file.Files.writeString(
        dir.resolve("suite.yaml"),
        """
        name: "traced"
        agent: "./agent.yaml"
        cases:
          - name: "passes"
            task: "Pass"
            cassette: "./pass.json"
            expect: {summary_contains: "good"}
          - name: "fails"
            task: "Fail"
            cassette: "./fail.json"
            expect: {summary_contains: "good"}
        """);

    Cli.Result eval =
        Cli.run(
            dir,
            Map.of("OTEL_TRACES_EXPORTER", "logging-otlp"),
            "eval",
            dir.resolve("suite.yaml").toString(),
            "--json",
            "--parallel",
            "2");

    assertThat(eval.exitCode()).as(eval.stderr()).isEqualTo(1);
    List<JsonNode> spans = spans(eval.stderr());
    JsonNode suite = named(spans, "eval traced");
    assertThat(suite.path("parentSpanId").asText()).as(eval.stderr()).isEmpty();
    assertThat(suite.path("status").path("code").asInt()).isEqualTo(2);
    for (String name : List.of("passes", "fails")) {
      JsonNode caseSpan = named(spans, "eval_case " + name);
      assertThat(caseSpan.get("traceId").asText()).isEqualTo(suite.get("traceId").asText());
      assertThat(caseSpan.get("parentSpanId").asText()).isEqualTo(suite.get("spanId").asText());
      assertThat(attribute(caseSpan, "codepilot.eval.case")).isEqualTo(name);
      JsonNode run =
          spans.stream()
              .filter(
                  s ->
                      s.get("name").asText().equals("invoke_agent Eval Test Agent")
                          && s.get("parentSpanId").asText().equals(caseSpan.get("spanId").asText()))
              .findFirst()
              .orElseThrow();
      assertThat(spans)
          .anySatisfy(
              s ->
                  assertThat(s.get("parentSpanId").asText()).isEqualTo(run.get("spanId").asText()));
    }
    assertThat(named(spans, "eval_case fails").path("status").path("code").asInt()).isEqualTo(2);
    assertThat(named(spans, "eval_case passes").path("status").path("code").asInt())
        .isNotEqualTo(2);
  }

  private static JsonNode named(List<JsonNode> spans, String name) {
    return spans.stream()
        .filter(s -> s.get("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
  }

  @Test
  void withoutOtelVariablesNothingIsTraced() throws Exception {
    Path example = Cli.copyExample("hello", dir.resolve("hello"));

    Cli.Result run =
        Cli.run(dir, "run", example.resolve("agent.yaml").toString(), "Say hello", "--json");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stderr()).doesNotContain("resourceSpans");
  }

  @Test
  void invalidOtelSettingsAreABadUsageNamingTheProblem() throws Exception {
    Path example = Cli.copyExample("hello", dir.resolve("hello"));

    Cli.Result run =
        Cli.run(
            dir,
            Map.of("OTEL_TRACES_EXPORTER", "carrier-pigeon"),
            "run",
            example.resolve("agent.yaml").toString(),
            "Say hello",
            "--json");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr()).contains("OpenTelemetry settings", "carrier-pigeon");
  }

  @Test
  void serveContinuesTheTraceOfTheRequestThatStartedARun() throws Exception {
    Path example = Cli.copyExample("hello", dir.resolve("hello"));
    String token = "telemetry-test-token-0123456789";
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "00f067aa0ba902b7";
    try (Cli.Running serve =
        Cli.start(
            dir,
            Map.of(
                "OTEL_TRACES_EXPORTER", "logging-otlp",
                "OTEL_BSP_SCHEDULE_DELAY", "100",
                "CODEPILOT_TOKEN", token),
            null,
            "serve",
            example.resolve("agent.yaml").toString(),
            "--port",
            "0",
            "--session-dir",
            dir.resolve("sessions").toString())) {
      Pattern address = Pattern.compile("serving the agent at (http://\\S+/)");
      Cli.awaitTrue(
          Duration.ofSeconds(120),
          "the server to start",
          () -> address.matcher(serve.stdout()).find() || !serve.process.isAlive());
      Matcher url = address.matcher(serve.stdout());
      assertThat(url.find()).as(serve.stderr()).isTrue();

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url.group(1) + "api/sessions/traced/runs"))
                      .header("Authorization", "Bearer " + token)
                      .header("Content-Type", "application/json")
                      .header("traceparent", "00-" + traceId + "-" + parentId + "-01")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"task\":\"Say hello\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

      Cli.awaitTrue(
          Duration.ofSeconds(120),
          "the run's span on standard error",
          () -> serve.stderr().contains("invoke_agent Hello Agent"));
      JsonNode agent =
          spans(serve.stderr()).stream()
              .filter(s -> s.get("name").asText().startsWith("invoke_agent"))
              .findFirst()
              .orElseThrow();
      assertThat(agent.get("traceId").asText()).isEqualTo(traceId);
      assertThat(agent.get("parentSpanId").asText()).isEqualTo(parentId);
      assertThat(attribute(agent, "gen_ai.conversation.id")).isEqualTo("traced");
    }
  }

  /** The spans of every OTLP JSON line in the text. */
  private static List<JsonNode> spans(String text) throws Exception {
    List<JsonNode> spans = new ArrayList<>();
    for (String line : text.lines().toList()) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      // logging-otlp writes one ResourceSpans object per line.
      for (JsonNode scope : node.path("scopeSpans")) {
        scope.path("spans").forEach(spans::add);
      }
    }
    return spans;
  }

  private static String attribute(JsonNode span, String key) {
    for (JsonNode attribute : span.path("attributes")) {
      if (attribute.path("key").asText().equals(key)) {
        return attribute.path("value").path("stringValue").asText();
      }
    }
    return null;
  }
}
