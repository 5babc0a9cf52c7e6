package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block that fills the Java heap, in a real {@code codepilot run}: the memory guard stops it
 * before the heap runs out, the model is told, and the run goes on to its end.
 */
class MemoryBombTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aBlockThatFillsTheHeapIsStoppedAndTheRunEnds() throws Exception {
    Path agent =
        replayAgent(
            List.of(
                "```python\ns = 'a' * (10 ** 8)\nprint(len(s))\n```",
                "```python\nl = []\nwhile True:\n    l.append('x' * 10**6)\n```",
                "```python\ntry:\n    l\n    print('kept')\nexcept NameError:\n    print('cleared')\n```",
                "```python\ndone('survived')\n```"));
    Map<String, String> smallHeap = Map.of("JAVA_TOOL_OPTIONS", "-Xmx512m");
    Path sessions = dir.resolve("sessions");
    try (Cli.Running running =
        Cli.start(
            dir,
            smallHeap,
            null,
            "run",
            agent.toString(),
            "fill the heap",
            "--json",
            "--session",
            "file",
            "--session-id",
            "bomb",
            "--session-dir",
            sessions.toString())) {
      Cli.Result result = running.await(Duration.ofSeconds(150));

      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.stdout()).contains("MemoryError").contains("\"finish\"");
      assertThat(result.stderr()).doesNotContain("OutOfMemoryError");
    }
    List<String> told =
        FileSession.readMessages(sessions, "bomb").orElseThrow().stream()
            .map(Message::content)
            .toList();
    assertThat(told).hasSize(9);
    assertThat(told.get(2)).contains("100000000");
    // Stopped by the memory guard, or by GraalPy's own MemoryError when an allocation fails
    // first: either way the block ends with a MemoryError that says what happened.
    assertThat(told.get(4))
        .startsWith("[EXECUTION RESULT]")
        .contains("MemoryError")
        .containsAnyOf("heap", "The block ran out of memory.");
    // The namespace that held the memory was discarded.
    assertThat(told.get(6)).contains("cleared");
  }

  private Path replayAgent(List<String> replies) throws Exception {
    Files.writeString(dir.resolve("c.json"), JSON.writeValueAsString(Map.of("responses", replies)));
    Path agent = dir.resolve("agent.yaml");
    Files.writeString(
        agent,
        """
        agent:
          name: "Tester"
          model:
            provider: "replay"
            cassette: "./c.json"
          runtime:
            work_dir: "./ws"
        """);
    return agent;
  }
}
