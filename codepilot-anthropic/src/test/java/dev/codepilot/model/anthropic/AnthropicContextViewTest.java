package dev.codepilot.model.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.AgentRuntime;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ContextConfig;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.model.ModelConfig;
import dev.codepilot.testing.http.FakeServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context view on the Messages API's wire: whole runs against a loopback server, with sessions
 * on disk.
 */
class AnthropicContextViewTest {

  private static final ContextConfig KEEP_2 =
      new ContextConfig(true, 2, 40, OptionalInt.empty(), 0.75);

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

  private static String step(int n) {
    return "```python\nprint('line %d ' * 40)\n```".formatted(n);
  }

  private void script(int from, int to) {
    for (int n = from; n < to; n++) {
      server.then(AnthropicChatModelTest.okReply(step(n)));
    }
  }

  private AgentRuntime runtime(String sessionId, int maxSteps) throws Exception {
    ModelConfig model =
        ModelConfig.builder()
            .provider("anthropic")
            .name("claude-test")
            .maxTokens(1024)
            .baseUrl(server.url(""))
            .requestTimeout(Duration.ofSeconds(10))
            .maxRetries(0)
            .build();
    RuntimeConfig runtime =
        RuntimeConfig.defaults(workDir).withMaxSteps(maxSteps).withContext(KEEP_2);
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
            new AnthropicProvider(
                    Map.of("ANTHROPIC_API_KEY", "sk-ant-test")::get, AnthropicChatModelTest.FAST)
                .createModel(model))
        .consoleOutput(false)
        .session("file")
        .sessionId(sessionId)
        .sessionDir(sessionDir)
        .build();
  }

  @Test
  void aResumedSessionSendsTheSameBytesAsTheUninterruptedRun() throws Exception {
    script(0, 10);
    try (AgentRuntime runtime = runtime("straight", 10)) {
      runtime.run("first task");
      server.then(AnthropicChatModelTest.okReply("```python\ndone('ok')\n```"));
      assertThat(runtime.run("second task").finished()).isTrue();
    }
    String uninterrupted = server.request(10).body();

    script(0, 10);
    try (AgentRuntime runtime = runtime("resumed", 10)) {
      runtime.run("first task");
    }
    server.then(AnthropicChatModelTest.okReply("```python\ndone('ok')\n```"));
    try (AgentRuntime runtime = runtime("resumed", 10)) {
      assertThat(runtime.run("second task").finished()).isTrue();
    }
    String resumed = server.request(21).body();

    assertThat(resumed).isEqualTo(uninterrupted);
    assertThat(resumed).contains("chars cut; the full text is results[7] ...]");
  }

  @Test
  void thePrefixChangesOnceABatchAndItsEndCarriesACacheBreakpoint() throws Exception {
    script(0, 12);
    try (AgentRuntime runtime = runtime("cached", 12)) {
      runtime.run("a task");
    }
    List<List<String>> requests = new ArrayList<>();
    for (FakeServer.Received received : server.received()) {
      requests.add(texts(received.json().path("messages")));
    }
    int breaks = 0;
    for (int i = 1; i < requests.size(); i++) {
      List<String> previous = requests.get(i - 1);
      List<String> current = requests.get(i);
      // The previous request's last message was a user turn that the next one extends.
      List<String> stable = previous.subList(0, previous.size() - 1);
      if (!current.subList(0, stable.size()).equals(stable)) {
        breaks++;
      }
    }
    // 12 steps, results cut two at a time from the fourth result on.
    assertThat(breaks).isEqualTo(4);

    JsonNode last = server.request(11).json();
    JsonNode messages = last.path("messages");
    List<Integer> marked = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode content = messages.get(i).path("content");
      if (content.isArray() && content.get(0).has("cache_control")) {
        marked.add(i);
      }
    }
    // 11 results: 0..7 are cut; the breakpoint ends the message holding result 7, and the
    // last message carries the other.
    assertThat(marked).hasSize(2);
    assertThat(marked.get(1)).isEqualTo(messages.size() - 1);
    assertThat(messages.get(marked.get(0)).path("content").get(0).path("text").asText())
        .endsWith("the full text is results[7] ...]");
    assertThat(last.path("system").get(0).has("cache_control")).isTrue();
  }

  /** Each message's text, whether sent as a string or as a cached text block. */
  private static List<String> texts(JsonNode messages) {
    List<String> texts = new ArrayList<>();
    for (JsonNode message : messages) {
      JsonNode content = message.path("content");
      texts.add(
          message.path("role").asText()
              + ":"
              + (content.isArray() ? content.get(0).path("text").asText() : content.asText()));
    }
    return texts;
  }
}
