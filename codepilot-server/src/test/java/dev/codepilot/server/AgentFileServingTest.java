package dev.codepilot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.internal.Json;
import dev.codepilot.model.ModelException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server built from an agent file on disk, with the replay model the file names. */
class AgentFileServingTest {

  @TempDir Path dir;

  @Test
  void anAgentFileWithAReplayCassetteIsServed() throws Exception {
    Path agent = writeAgent("./cassette.json");
    Files.writeString(
        dir.resolve("cassette.json"),
        Json.write(
            Map.of(
                "responses",
                List.of(
                    "```python\nthink('served from a file')\ndone('Served from a file.')\n```"))));

    try (AgentServer server =
        AgentServer.builder(agent).port(0).sessionDir(dir.resolve("sessions")).build().start()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> started =
          http.send(
              HttpRequest.newBuilder(server.url().resolve("/api/sessions/filed/runs"))
                  .header("Authorization", "Bearer " + server.token())
                  .POST(HttpRequest.BodyPublishers.ofString("{\"task\":\"Say where\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(started.statusCode()).isEqualTo(202);

      JsonNode status = null;
      for (int i = 0; i < 300; i++) {
        status =
            Json.mapper()
                .readTree(
                    http.send(
                            HttpRequest.newBuilder(server.url().resolve("/api/sessions/filed"))
                                .header("Authorization", "Bearer " + server.token())
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body());
        if (!status.path("running").asBoolean()) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(status.path("agent").asText()).isEqualTo("File Agent");
      assertThat(status.path("last_run").path("summary").asText()).isEqualTo("Served from a file.");
    }
  }

  @Test
  void aBadAgentFileOrABrokenCassetteFailsBeforeTheServerStarts() throws Exception {
    assertThatThrownBy(() -> AgentServer.builder(dir.resolve("missing.yaml")))
        .isInstanceOf(AgentFileException.class);
    assertThatThrownBy(() -> AgentServer.builder(writeAgent("./no-such-cassette.json")))
        .isInstanceOf(AgentFileException.class)
        .hasMessageContaining("no-such-cassette.json");
    Files.writeString(dir.resolve("broken.json"), "{ not a cassette");
    AgentServer.Builder broken = AgentServer.builder(writeAgent("./broken.json"));
    assertThatThrownBy(broken::build)
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("broken.json");
  }

  private Path writeAgent(String cassette) throws Exception {
    Files.createDirectories(dir.resolve("work"));
    return Files.writeString(
        dir.resolve("agent.yaml"),
        """
        agent:
          name: "File Agent"
          role: "Answers from a cassette."
          model:
            provider: "replay"
            cassette: "%s"
          runtime:
            work_dir: "./work"
        """
            .formatted(cassette));
  }
}
