package dev.codepilot.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code codepilot mcp}: the agent over stdio, with nothing but the protocol on stdout. */
class McpCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void servesRunTaskOverStdioAndExitsWhenTheClientCloses() throws Exception {
    Files.writeString(
        dir.resolve("cassette.json"),
        JSON.writeValueAsString(
            Map.of(
                "responses",
                List.of("```python\nprint('thinking')\ndone('Hello from the agent')\n```"))));
    Path agent =
        Files.writeString(
            dir.resolve("agent.yaml"),
            """
        name: Greeter
        model: {provider: replay, cassette: ./cassette.json}
        """);
    Process process =
        new ProcessBuilder(Cli.command(dir, "mcp", agent.toString()))
            .directory(dir.toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    List<JsonNode> received = new ArrayList<>();
    try (OutputStream in = process.getOutputStream();
        BufferedReader out =
            new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
      send(
          in,
          Map.of(
              "jsonrpc",
              "2.0",
              "id",
              1,
              "method",
              "initialize",
              "params",
              Map.of(
                  "protocolVersion",
                  "2025-06-18",
                  "capabilities",
                  Map.of(),
                  "clientInfo",
                  Map.of("name", "test", "version", "1"))));
      received.add(JSON.readTree(out.readLine()));
      send(in, Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
      send(
          in,
          Map.of(
              "jsonrpc",
              "2.0",
              "id",
              2,
              "method",
              "tools/call",
              "params",
              Map.of("name", "run_task", "arguments", Map.of("task", "Say hello"))));
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        JsonNode message = JSON.readTree(line);
        received.add(message);
        if (message.path("id").asInt() == 2) {
          break;
        }
      }
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(dir.resolve("stderr.txt"));
    assertThat(process.exitValue()).as(stderr).isZero();
    assertThat(received).allSatisfy(m -> assertThat(m.path("jsonrpc").asText()).isEqualTo("2.0"));
    assertThat(received.get(0).path("result").path("serverInfo").path("title").asText())
        .isEqualTo("Greeter");
    JsonNode result = received.get(received.size() - 1).path("result");
    assertThat(result.path("isError").asBoolean()).isFalse();
    assertThat(result.path("content").get(0).path("text").asText())
        .isEqualTo("Hello from the agent");
    assertThat(stderr).doesNotContain("INFO");
  }

  private static void send(OutputStream in, Map<String, Object> message) throws Exception {
    in.write((JSON.writeValueAsString(message) + "\n").getBytes(UTF_8));
    in.flush();
  }
}
