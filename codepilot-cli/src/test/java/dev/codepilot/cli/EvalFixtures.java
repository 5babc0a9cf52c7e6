package dev.codepilot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An agent with replay cassettes in a temporary folder, for suites that test {@code eval}. */
final class EvalFixtures {

  static final ObjectMapper JSON = new ObjectMapper();

  private EvalFixtures() {}

  /**
   * Writes {@code agent.yaml} (replay model, work_dir {@code ./workspace} holding {@code seed.txt})
   * and one cassette per entry of {@code cassettes} into {@code dir}.
   */
  static Path agent(Path dir, Map<String, List<String>> cassettes) throws IOException {
    Files.createDirectories(dir.resolve("workspace"));
    Files.writeString(dir.resolve("workspace/seed.txt"), "seeded\n");
    Files.writeString(
        dir.resolve("agent.yaml"),
        """
        agent:
          name: "Eval Test Agent"
          role: "Writes and runs small scripts."
          system_prompt: "Be brief."
          model:
            provider: "replay"
            cassette: "./default.json"
          runtime:
            work_dir: "./workspace"
            max_steps: 4
          tools:
            - name: "write_file"
            - name: "read_file"
            - name: "run_command"
              config:
                timeout: 30
        """);
    cassette(dir.resolve("default.json"), List.of(block("done('default')")));
    for (Map.Entry<String, List<String>> entry : cassettes.entrySet()) {
      cassette(dir.resolve(entry.getKey()), entry.getValue());
    }
    return dir.resolve("agent.yaml");
  }

  static void cassette(Path file, List<String> replies) throws IOException {
    Files.writeString(
        file, JSON.writeValueAsString(Map.of("responses", replies)), StandardCharsets.UTF_8);
  }

  /** A reply whose control block is {@code code}, followed by {@code payloads}. */
  static String block(String code, String... payloads) {
    StringBuilder reply = new StringBuilder("```python\n").append(code).append("\n```");
    for (String payload : payloads) {
      reply.append("\n```\n").append(payload).append("```");
    }
    return reply.toString();
  }

  /** The JSON objects of {@code --json} output, one per line. */
  static List<JsonNode> lines(Cli.Result result) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : result.stdoutLines()) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  /** The object of the case named {@code name} (its first attempt). */
  static JsonNode caseNamed(List<JsonNode> lines, String name) {
    return lines.stream()
        .filter(n -> name.equals(n.path("case").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for case " + name + " in " + lines));
  }

  static List<String> failures(JsonNode node) {
    List<String> failures = new ArrayList<>();
    node.get("failures").forEach(f -> failures.add(f.asText()));
    return failures;
  }
}
