package dev.codepilot.server;

import static dev.codepilot.server.TestServer.block;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.config.AgentFile;
import dev.codepilot.config.SubAgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A served agent's sub-agent: its events reach the browser tagged, its permission asks there. */
class SubAgentServingTest {

  @TempDir static Path root;

  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    Path writer = root.resolve("writer.yaml");
    Files.writeString(
        root.resolve("writer.json"),
        "{\"responses\": [\"```python\\n"
            + "write_file('note.txt')\\ndone('wrote the note')\\n```\\n```text\\nhello\\n```\"]}");
    Files.writeString(
        writer,
        """
        agent:
          name: Writer
          model: {provider: replay, cassette: ./writer.json}
          runtime: {work_dir: ./writer-work, max_steps: 2}
          tools:
            - name: write_file
              config: {require_permission: true}
        """);
    SubAgentConfig sub =
        new SubAgentConfig(
            "writer",
            writer,
            AgentFile.load(writer),
            Optional.empty(),
            OptionalInt.empty(),
            SubAgentConfig.SessionMode.INHERIT);
    server =
        TestServer.startAgent(
            root, work -> TestServer.agent(work).toBuilder().agents(List.of(sub)).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theSubAgentsPermissionRequestIsAnsweredInTheBrowser() throws Exception {
    server.model("team").reply(block("print(writer('write the note'))"), block("done('ok')"));
    try (EventClient events = server.connect("team")) {
      server.run("team", "Have the note written");
      List<JsonNode> before = events.until("permission_request");
      assertThat(before.get(before.size() - 1).path("agent").asText()).isEqualTo("writer");
      assertThat(before)
          .anySatisfy(
              event -> {
                assertThat(event.path("event").asText()).isEqualTo("start");
                assertThat(event.path("agent").asText()).isEqualTo("writer");
              });
      JsonNode pending = server.awaitPending("team");
      assertThat(pending.path("tool").asText()).isEqualTo("writer/write_file");
      assertThat(pending.path("description").asText()).startsWith("writer: Write 'note.txt'");

      var approved =
          server.post(
              "/api/sessions/team/permission",
              Map.of("approve", true, "id", pending.path("id").asLong()));
      List<JsonNode> rest = events.until("run_end");

      assertThat(approved.status()).isEqualTo(200);
      assertThat(rest.get(rest.size() - 1).path("outcome").asText()).isEqualTo("finished");
      assertThat(rest)
          .anySatisfy(
              event -> {
                assertThat(event.path("event").asText()).isEqualTo("finish");
                assertThat(event.path("agent").asText()).isEqualTo("writer");
              });
    }
    assertThat(root.resolve("writer-work/note.txt")).hasContent("hello\n");
  }
}
