package dev.codepilot.mcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent served as an MCP server over stdio, called by the Java SDK's client. */
class AgentMcpServerTest {

  @TempDir Path dir;

  @Test
  void theTypeScriptClientCancelsARunAndTheAgentStopsIt() throws Exception {
    String sleep = "```python\\nimport time\\ntime.sleep(0.5)\\n```";
    Files.writeString(
        dir.resolve("cassette.json"),
        "{\"responses\": ["
            + String.join(", ", java.util.Collections.nCopies(5, "\"" + sleep + "\""))
            + ", \"```python\\ndone('finished after the cancel')\\n```\"]}");
    Path agent =
        Files.writeString(
            dir.resolve("agent.yaml"),
            """
        name: Slow
        model: {provider: replay, cassette: ./cassette.json}
        runtime: {max_steps: 6, allowed_imports: [time]}
        """);
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process client =
        new ProcessBuilder(
                "node",
                NpmServers.dir().resolve("ts-client.mjs").toString(),
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ServeChild.class.getName(),
                agent.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output = new String(client.getInputStream().readAllBytes(), UTF_8);
    assertThat(client.waitFor()).as(output).isZero();
    Map<?, ?> result =
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(output.strip(), Map.class);
    assertThat(result.get("tools")).isEqualTo(List.of("run_task"));
    assertThat(result.get("cancelled")).isEqualTo(true);
    assertThat(result.get("steps")).isEqualTo(List.of(1, 2));
    // Had the first run gone on, it would have used every reply and the second would fail.
    assertThat(result.get("after")).isEqualTo("finished after the cancel");
    assertThat(result.get("afterIsError")).isEqualTo(false);
  }

  @Test
  void runTaskReturnsTheSummaryWithProgressPerStepAndIsErrorWhenTheRunFails() throws Exception {
    Files.writeString(
        dir.resolve("cassette.json"),
        """
        {"responses": ["```python\\nprint('working')\\n```",
                       "```python\\ndone('All done: 42')\\n```"]}
        """);
    Path agent =
        Files.writeString(
            dir.resolve("agent.yaml"),
            """
        name: Helper
        role: a helpful agent.
        model: {provider: replay, cassette: ./cassette.json}
        """);
    List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    String java = ProcessHandle.current().info().command().orElseThrow();
    ServerParameters params =
        ServerParameters.builder(java)
            .args(
                "-cp",
                System.getProperty("java.class.path"),
                ServeChild.class.getName(),
                agent.toString())
            .build();
    try (McpSyncClient client =
        McpClient.sync(new StdioClientTransport(params, McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .progressConsumer(progress::add)
            .build()) {
      client.initialize();
      List<McpSchema.Tool> tools = client.listTools().tools();
      assertThat(tools).extracting(McpSchema.Tool::name).containsExactly("run_task");
      assertThat(tools.get(0).description()).contains("Helper, a helpful agent.");

      McpSchema.CallToolResult done =
          client.callTool(
              new McpSchema.CallToolRequest(
                  "run_task", Map.of("task", "answer"), Map.of("progressToken", "p1")));
      assertThat(done.isError()).isFalse();
      assertThat(((McpSchema.TextContent) done.content().get(0)).text()).isEqualTo("All done: 42");
      assertThat(progress)
          .extracting(McpSchema.ProgressNotification::progress)
          .containsExactly(1.0, 2.0);
      assertThat(progress.get(0).progressToken()).isEqualTo("p1");
      assertThat(progress.get(0).message()).startsWith("step 1 of ");

      McpSchema.CallToolResult failed =
          client.callTool(new McpSchema.CallToolRequest("run_task", Map.of("task", "again")));
      assertThat(failed.isError()).isTrue();
      assertThat(((McpSchema.TextContent) failed.content().get(0)).text())
          .contains("the run failed")
          .contains("cassette exhausted");

      McpSchema.CallToolResult empty =
          client.callTool(new McpSchema.CallToolRequest("run_task", Map.of("task", " ")));
      assertThat(empty.isError()).isTrue();
    }
  }
}
