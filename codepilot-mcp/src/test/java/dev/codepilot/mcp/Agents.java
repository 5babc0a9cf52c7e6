package dev.codepilot.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes agent files with replay cassettes for the tests. */
final class Agents {

  private Agents() {}

  /**
   * An agent file in {@code dir} whose model replies with {@code blocks} (each a control block),
   * with the given {@code mcp_servers:} YAML (indented two spaces, as list items).
   */
  static Path write(Path dir, String mcpServers, List<String> blocks) throws IOException {
    return write(dir, mcpServers, blocks, "");
  }

  /** As above, with more settings under runtime: (YAML, indented two spaces). */
  static Path write(Path dir, String mcpServers, List<String> blocks, String runtime)
      throws IOException {
    List<String> replies = blocks.stream().map(b -> "```python\n" + b + "\n```").toList();
    Files.writeString(
        dir.resolve("cassette.json"),
        new ObjectMapper().writeValueAsString(Map.of("responses", replies)));
    Path agent = dir.resolve("agent.yaml");
    Files.writeString(
        agent,
        """
        name: McpTester
        model:
          provider: replay
          cassette: ./cassette.json
        runtime:
          work_dir: ./workspace
          max_steps: %d
        %smcp_servers:
        %s
        """
            .formatted(
                blocks.size(),
                runtime.lines().map(l -> "  " + l + "\n").collect(Collectors.joining()),
                mcpServers.lines().map(l -> "  " + l).collect(Collectors.joining("\n"))));
    return agent;
  }

  /** A YAML flow list of strings. */
  static String list(List<String> items) {
    return items.stream()
        .map(i -> "\"" + i.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * A stdio server entry for a server of the npm folder, started there: in the jail a server sees
   * its cwd (read-only) and the work_dir, and the folder may lie where the jail hides things (a
   * clone under /tmp or the home).
   */
  static String stdio(String name, List<String> commandLine, String extra) {
    return "- name: "
        + name
        + "\n  command: "
        + commandLine.get(0)
        + "\n  args: "
        + list(commandLine.subList(1, commandLine.size()))
        + "\n  cwd: "
        + list(List.of(NpmServers.dir().toString())).replaceAll("^\\[|]$", "")
        + (extra.isEmpty() ? "" : "\n  " + extra.strip().replace("\n", "\n  "));
  }
}
