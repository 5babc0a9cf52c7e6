package dev.codepilot.model.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ContextConfig;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.model.ModelConfig;
import dev.codepilot.testing.http.FakeServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context view on the Chat Completions wire: whole runs against a loopback server, with
 * sessions on disk.
 */
class OpenAiContextViewTest {

  @TempDir Path workDir;

  @TempDir Path sessionDir;

  FakeServer server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static FakeServer.Reply reply(String text, long promptTokens) {
    return FakeServer.sse(
        OpenAiChatModelTest.roleChunk(),
        OpenAiChatModelTest.chunk(text),
        OpenAiChatModelTest.finish("stop"),
        OpenAiChatModelTest.usage(promptTokens, 20, 0),
        OpenAiChatModelTest.DONE);
  }

  private void script(int from, int to) {
    for (int n = from; n < to; n++) {
      server.then(reply("```python\nprint('line %d ' * 40)\n```".formatted(n), 1000));
    }
  }

  private AgentRuntime runtime(String sessionId, int maxSteps, ContextConfig context)
      throws Exception {
    ModelConfig model =
        ModelConfig.builder()
            .provider("openai")
            .name("gpt-test")
            .maxTokens(1024)
            .baseUrl(server.url("/v1"))
            .requestTimeout(Duration.ofSeconds(10))
            .maxRetries(0)
            .build();
    RuntimeConfig runtime =
        RuntimeConfig.defaults(workDir).withMaxSteps(maxSteps).withContext(context);
    AgentConfig config =
        AgentConfig.builder()
            .name("Wire Agent")
            .role("a tester.")
            .systemPrompt("Be brief.")
            .model(model)
            .runtime(runtime)
            .build();
    return AgentRuntime.builder(config)
        .model(
            new OpenAiProvider(Map.of("OPENAI_API_KEY", "sk-test")::get, OpenAiChatModelTest.FAST)
                .createModel(model))
        .consoleOutput(false)
        .session("file")
        .sessionId(sessionId)
        .sessionDir(sessionDir)
        .build();
  }

  @Test
  void aResumedSessionSendsTheSameBytesAsTheUninterruptedRun() throws Exception {
    ContextConfig keep2 = new ContextConfig(true, 2, 40, OptionalInt.empty(), 0.75);
    script(0, 10);
    try (AgentRuntime runtime = runtime("straight", 10, keep2)) {
      runtime.run("first task");
      server.then(reply("```python\ndone('ok')\n```", 1000));
      assertThat(runtime.run("second task").finished()).isTrue();
    }
    String uninterrupted = server.request(10).body();

    script(0, 10);
    try (AgentRuntime runtime = runtime("resumed", 10, keep2)) {
      runtime.run("first task");
    }
    server.then(reply("```python\ndone('ok')\n```", 1000));
    try (AgentRuntime runtime = runtime("resumed", 10, keep2)) {
      assertThat(runtime.run("second task").finished()).isTrue();
    }

    assertThat(server.request(21).body())
        .isEqualTo(uninterrupted)
        .contains("chars cut; the full text is results[7] ...]");
  }

  @Test
  void theReportedUsageDecidesWhenToSummarizeAndTheSummaryIsItsOwnRequest() throws Exception {
    // The provider reports 1000 prompt tokens for the first request, then 5000: past
    // 0.5 of an 8000-token window, so the third step first asks for a summary.
    ContextConfig small = new ContextConfig(true, 1, 40, OptionalInt.of(8000), 0.5);
    server.then(reply("```python\nprint('a')\n```", 1000));
    server.then(reply("```python\nprint('b')\n```", 5000));
    server.then(reply("The agent printed a and b.", 300));
    server.then(reply("```python\ndone(results[0])\n```", 1200));
    RunResult result;
    try (AgentRuntime runtime = runtime("summarized", 5, ContextConfig.DEFAULT)) {
      // The first runtime has the defaults: a 128000-token window for an unknown model.
      assertThat(runtime.config().runtime().context()).isEqualTo(ContextConfig.DEFAULT);
    }
    try (AgentRuntime runtime = runtime("summarized", 5, small)) {
      result = runtime.run("print two letters");
    }

    assertThat(result.finished()).isTrue();
    assertThat(result.summary()).contains("a");
    assertThat(result.usage().inputTokens()).isEqualTo(1000 + 5000 + 300 + 1200);
    JsonNode summaryRequest = server.request(2).json();
    assertThat(summaryRequest.path("messages").get(0).path("content").asText())
        .startsWith("You condense the earlier steps");
    assertThat(summaryRequest.path("messages").get(1).path("content").asText())
        .contains("The task:\n[USER INPUT]\nprint two letters")
        .contains("[EXECUTION RESULT]\na");
    JsonNode next = server.request(3).json().path("messages");
    // system, the task joined with the summary (one user turn), then the kept step.
    assertThat(next.get(1).path("content").asText())
        .startsWith("[USER INPUT]\nprint two letters\n\n[SUMMARY OF EARLIER STEPS]")
        .endsWith("The agent printed a and b.");
    assertThat(next.get(2).path("content").asText()).contains("print('b')");
    assertThat(next).hasSize(4);
  }
}
