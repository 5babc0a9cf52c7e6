package dev.codepilot.opentelemetry;

import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.StopReason;
import dev.codepilot.model.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Agent files and scripted models for the tests. */
final class Agents {

  private Agents() {}

  /** Writes an agent file (model {@code claude-test} of provider {@code anthropic}). */
  static Path agentFile(Path dir, String extraTools) throws IOException {
    Files.createDirectories(dir.resolve("workspace"));
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        agent:
          name: "Tracer"
          role: "A tester."
          system_prompt: "Be brief."
          model:
            provider: "anthropic"
            name: "claude-test"
          runtime:
            work_dir: "./workspace"
            max_steps: 5
          tools:
            - name: "write_file"
              enabled: true
            - name: "read_file"
              enabled: true
        """
            + extraTools);
    return file;
  }

  /** A reply whose control block is {@code code}. */
  static String block(String code) {
    return "```python\n" + code + "\n```";
  }

  /**
   * A model that streams each scripted reply in two pieces and reports 100 input tokens (40 of them
   * read from the cache) and 20 output tokens; fails when the replies run out.
   */
  static ChatModel scripted(String... replies) {
    ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(List.of(replies));
    return request -> {
      String next = queue.poll();
      if (next == null) {
        throw new ModelException("no scripted reply left");
      }
      int half = next.length() / 2;
      request.listener().onText(next.substring(0, half));
      request.listener().onText(next.substring(half));
      return new ModelReply(next, StopReason.END_TURN, new Usage(60, 20, 40, 0));
    };
  }
}
