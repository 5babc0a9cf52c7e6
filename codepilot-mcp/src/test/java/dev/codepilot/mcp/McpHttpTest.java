package dev.codepilot.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.StopReason;
import dev.codepilot.model.Usage;
import dev.codepilot.tools.ToolSourceException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streamable HTTP servers, with headers taken from the environment. */
class McpHttpTest {

  /** A variable every test machine has; its value stands in for a token. */
  private static final String TOKEN = System.getenv("PATH");

  @TempDir Path dir;

  @Test
  void blocksCallToolsOfAnHttpServerWithHeadersFromTheEnvironment() throws Exception {
    try (HttpMcpServer server = new HttpMcpServer(TOKEN)) {
      Path agent =
          Agents.write(
              dir,
              "- name: glossary\n  url: "
                  + server.url()
                  + "\n  headers: {Authorization: \"Bearer ${PATH}\"}",
              List.of(
                  """
              print(glossary.lookup_word(word="verb"))
              done()
              """));
      AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build();
      try {
        long started = System.nanoTime();
        RunResult result = runtime.run("look it up");
        System.out.printf("run: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        String output = McpClientTest.results(runtime);
        assertThat(result.finished()).as(output).isTrue();
        assertThat(output).contains("verb: a unit of language");
        assertThat(runtime.systemPrompt())
            .contains("  - lookup_word: Looks a word up in the glossary.");
      } finally {
        long closing = System.nanoTime();
        runtime.close();
        long millis = (System.nanoTime() - closing) / 1_000_000;
        System.out.printf("close: %d ms%n", millis);
        assertThat(millis).as("closing the runtime").isLessThan(5000);
      }
    }
  }

  @Test
  void aJsonRpcErrorAnswerRaisesMcpErrorInTheBlockAndTheServerStaysUsable() throws Exception {
    try (HttpMcpServer server = new HttpMcpServer(TOKEN)) {
      Path agent =
          Agents.write(
              dir,
              "- name: glossary\n  url: "
                  + server.url()
                  + "\n  headers: {Authorization: \"Bearer ${PATH}\"}",
              List.of(
                  """
              try:
                  glossary.define(word="frob")
              except McpError as e:
                  print("McpError:", e)
              print(glossary.lookup_word(word="noun"))
              done()
              """));
      try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
        RunResult result = runtime.run("define it");
        String output = McpClientTest.results(runtime);
        assertThat(result.finished()).as(output).isTrue();
        assertThat(output)
            .contains(
                "McpError: MCP server 'glossary' answered define with an error (JSON-RPC"
                    + " code -32602): no definition of frob")
            .contains("noun: a unit of language")
            .doesNotContain("restarted");
      }
    }
  }

  @Test
  void theFirstModelRequestGoesOutWhileAServerStartsAndTheBlockThatUsesItWaits() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (HttpMcpServer server = new HttpMcpServer(TOKEN, gate)) {
      Path agent =
          Agents.write(
              dir,
              "- name: glossary\n  url: "
                  + server.url()
                  // Two steps; the replies come from the model below, not the cassette.
                  + "\n  headers: {Authorization: \"Bearer ${PATH}\"}",
              List.of("done()", "done()"));
      List<String> prompts = new CopyOnWriteArrayList<>();
      ChatModel model =
          request -> {
            prompts.add(request.systemPrompt());
            if (prompts.size() == 1) {
              // The server cannot have answered yet: it starts once the model has been asked.
              gate.countDown();
              return new ModelReply(
                  "```python\nprint(glossary.lookup_word(word=\"verb\"))\n```",
                  StopReason.END_TURN,
                  Usage.NONE);
            }
            return new ModelReply("```python\ndone()\n```", StopReason.END_TURN, Usage.NONE);
          };
      try (AgentRuntime runtime =
          AgentRuntime.builder(agent).model(model).consoleOutput(false).build()) {
        RunResult result = runtime.run("look it up");
        String output = McpClientTest.results(runtime);
        assertThat(result.finished()).as(output).isTrue();
        assertThat(prompts.get(0))
            .contains(
                "- `glossary`: starting; a block that uses it waits"
                    + " for it, and `help(glossary)` lists its tools")
            .doesNotContain("lookup_word");
        assertThat(output).contains("verb: a unit of language");
        assertThat(prompts.get(1))
            .contains("  - lookup_word: Looks a word up in the glossary.")
            .doesNotContain("starting;");
      }
    }
  }

  @Test
  void aServerThatFailsToStartAfterTheRunBeganEndsItWhenABlockUsesIt() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (HttpMcpServer server = new HttpMcpServer("another token", gate)) {
      Path agent =
          Agents.write(
              dir,
              "- name: glossary\n  url: "
                  + server.url()
                  + "\n  headers: {Authorization: \"Bearer ${PATH}\"}",
              List.of("done()"));
      ChatModel model =
          request -> {
            gate.countDown();
            return new ModelReply(
                "```python\nprint(glossary.lookup_word(word=\"verb\"))\n```",
                StopReason.END_TURN,
                Usage.NONE);
          };
      try (AgentRuntime runtime =
          AgentRuntime.builder(agent).model(model).consoleOutput(false).build()) {
        assertThatThrownBy(() -> runtime.run("look it up"))
            .isInstanceOf(ToolSourceException.class)
            .hasMessageContaining(
                "MCP server 'glossary' (" + server.url() + ") could not be started");
      }
    }
  }

  @Test
  void aServerThatRefusesTheHeadersIsNamedWithTheCause() throws Exception {
    try (HttpMcpServer server = new HttpMcpServer("another token")) {
      Path agent =
          Agents.write(
              dir,
              "- name: glossary\n  url: "
                  + server.url()
                  + "\n  headers: {Authorization: \"Bearer ${PATH}\"}",
              List.of("print(glossary)\ndone()"));
      try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
        assertThatThrownBy(() -> runtime.run("look it up"))
            .isInstanceOf(ToolSourceException.class)
            .hasMessageContaining(
                "MCP server 'glossary' (" + server.url() + ") could not be started");
      }
    }
  }

  @Test
  void anUnreachableServerIsNamed() throws Exception {
    Path agent =
        Agents.write(
            dir,
            "- name: gone\n  url: http://127.0.0.1:9/mcp\n  timeout: 5",
            List.of("print(gone)\ndone()"));
    try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
      assertThatThrownBy(() -> runtime.run("anything"))
          .isInstanceOf(ToolSourceException.class)
          .hasMessageContaining(
              "MCP server 'gone' (http://127.0.0.1:9/mcp) could not be" + " started");
    }
  }
}
