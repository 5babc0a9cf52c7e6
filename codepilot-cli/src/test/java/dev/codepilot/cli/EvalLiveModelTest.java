package dev.codepilot.cli;

import static dev.codepilot.cli.EvalFixtures.caseNamed;
import static dev.codepilot.cli.EvalFixtures.failures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cases without a cassette call the agent's own model: here an OpenAI-compatible server on loopback
 * that reports token usage, so that {@code max_tokens} is measured.
 */
class EvalLiveModelTest {

  @TempDir Path dir;

  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          JsonNode request = EvalFixtures.JSON.readTree(exchange.getRequestBody());
          // Stateless, so that cases may call it in any order: the first step writes a file, the
          // step after an execution result finishes.
          boolean second = false;
          for (JsonNode message : request.get("messages")) {
            second |= message.path("content").asText().startsWith("[EXECUTION RESULT]");
          }
          String reply =
              second
                  ? "```python\ndone('Wrote note.txt.')\n```"
                  : "```python\nwrite_file('note.txt')\n```\n```\nnoted\n```";
          String body =
              chunk(reply) + usage(second ? 600 : 500, second ? 10 : 40) + "data: [DONE]\n\n";
          exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static String chunk(String content) {
    return "data: "
        + EvalFixtures.JSON
            .createObjectNode()
            .set(
                "choices",
                EvalFixtures.JSON
                    .createArrayNode()
                    .add(
                        EvalFixtures.JSON
                            .createObjectNode()
                            .put("index", 0)
                            .put("finish_reason", "stop")
                            .set(
                                "delta",
                                EvalFixtures.JSON.createObjectNode().put("content", content))))
        + "\n\n";
  }

  private static String usage(long prompt, long completion) {
    return "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + "}}\n\n";
  }

  @Test
  void aCaseOverItsTokenBudgetFailsAndSaysHowManyItUsed() throws Exception {
    Path agent = EvalFixtures.agent(dir, Map.of());
    Files.writeString(
        agent,
        Files.readString(agent)
            .replace(
                """
            provider: "replay"
            cassette: "./default.json"
        """,
                """
            provider: "openai"
            name: "test-model"
            base_url: "http://127.0.0.1:%d/v1"
        """
                    .formatted(server.getAddress().getPort())));
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        agent: "./agent.yaml"
        cases:
          - name: "within budget"
            task: "Note it"
            expect: {finished: true, max_tokens: 1150, files: {"note.txt": {equals: "noted\\n"}}}
          - name: "over budget"
            task: "Note it"
            expect: {finished: true, max_tokens: 1000}
        """);

    Cli.Result result = Cli.run(dir, "eval", dir.resolve("suite.yaml").toString(), "--json");

    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
    List<JsonNode> lines = EvalFixtures.lines(result);
    JsonNode within = caseNamed(lines, "within budget");
    assertThat(failures(within)).isEmpty();
    assertThat(within.get("tokens").asLong()).isEqualTo(1150);
    assertThat(within.get("tokens_in").asLong()).isEqualTo(1100);
    assertThat(within.get("tokens_out").asLong()).isEqualTo(50);
    assertThat(failures(caseNamed(lines, "over budget")))
        .containsExactly("max_tokens: used 1150 tokens (1100 in, 50 out), more than 1000");
  }

  @Test
  void aModelThatCannotBeCreatedIsReportedBeforeAnyCaseRuns() throws Exception {
    Path agent = EvalFixtures.agent(dir, Map.of());
    Files.writeString(
        agent,
        Files.readString(agent)
            .replace(
                """
            provider: "replay"
            cassette: "./default.json"
        """,
                """
            provider: "openai"
            name: "gpt-4o"
            api_key_env: "EVAL_TEST_KEY_THAT_IS_NOT_SET"
        """));
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        agent: "./agent.yaml"
        cases:
          - {name: "needs the model", task: "Note it"}
        """);

    Cli.Result result = Cli.run(dir, "eval", dir.resolve("suite.yaml").toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("agent.yaml").contains("EVAL_TEST_KEY_THAT_IS_NOT_SET");
    assertThat(result.stdout()).isEmpty();
  }
}
