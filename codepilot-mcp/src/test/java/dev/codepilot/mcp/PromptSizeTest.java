package dev.codepilot.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.tools.ToolDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the MCP servers cost in the system prompt: the compact listing (one short line per
 * tool) against every tool's full signature and documentation. The figures are printed for
 * docs/BENCHMARKS.md; tokens are estimated as characters / 4.
 */
class PromptSizeTest {

  @TempDir
  Path dir;

  @Test
  void theListingCostsAFractionOfTheFullSignatures() throws Exception {
    Files.createDirectories(dir.resolve("workspace"));
    String servers = Agents.stdio("everything", NpmServers.everything(), "") + "\n"
        + Agents.stdio("files", NpmServers.filesystem(dir.resolve("workspace")), "");
    Path agent = Agents.write(dir, servers, List.of("done()"));
    Path bare = Agents.write(Files.createDirectories(dir.resolve("bare")), "[]",
        List.of("done()"));
    try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build();
        AgentRuntime without = AgentRuntime.builder(bare).consoleOutput(false).build()) {
      String prompt = runtime.systemPrompt();
      List<ToolDefinition> tools = runtime.registry().tools().stream()
          .filter(t -> t.name().contains(".")).toList();
      int listing = prompt.length() - without.systemPrompt().length();
      int full = tools.stream().mapToInt(t -> ("- `" + t.signature() + "`: " + t.description()
          + "\n").length()).sum();
      System.out.println(prompt.substring(prompt.indexOf("## MCP servers"),
          prompt.indexOf("# Example")));
      System.out.printf("MCP tools: %d (everything + filesystem)%n", tools.size());
      System.out.printf("compact listing: %d chars (~%d tokens, ~%d per tool)%n", listing,
          listing / 4, listing / 4 / tools.size());
      System.out.printf("full signatures and docs: %d chars (~%d tokens, ~%d per tool)%n",
          full, full / 4, full / 4 / tools.size());
      assertThat(tools).hasSizeGreaterThan(20);
      assertThat(listing).isLessThan(full / 2);
    }
  }
}
