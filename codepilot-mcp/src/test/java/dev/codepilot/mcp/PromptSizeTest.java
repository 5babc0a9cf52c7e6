package dev.codepilot.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.tools.ToolDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What MCP servers cost in the system prompt: the listing (a line per tool for small servers, names
 * alone for large ones) against every tool's full signature and documentation, for the npm
 * reference servers and for a Java SDK server of 100 tools. The figures are printed for
 * docs/BENCHMARKS.md (tokens estimated as characters / 4), and each listing is written to {@code
 * target/prompt-size/} so that a real tokenizer can count it.
 */
class PromptSizeTest {

  private static final Path OUT = Path.of("target/prompt-size");

  @TempDir Path dir;

  @Test
  void theReferenceServersCostAFractionOfTheirFullSignatures() throws Exception {
    Files.createDirectories(dir.resolve("workspace"));
    String servers =
        Agents.stdio("everything", NpmServers.everything(), "")
            + "\n"
            + Agents.stdio("files", NpmServers.filesystem(dir.resolve("workspace")), "");
    Path agent = Agents.write(dir, servers, List.of("done()"));
    try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
      Measure measure = measure(runtime, "reference");
      assertThat(measure.tools()).isGreaterThan(20);
      assertThat(measure.listing()).isLessThan(measure.full() / 4);
    }
  }

  @Test
  void aServerOfAHundredToolsCostsAFewHundredTokensAndHelpStillFindsEachTool() throws Exception {
    try (ManyToolsServer server = new ManyToolsServer()) {
      Path agent =
          Agents.write(
              dir,
              "- name: crm\n  url: " + server.url(),
              List.of(
                  """
          help(crm)
          help(crm.update_invoice)
          print(crm.update_invoice(id="INV-7", fields={"paid": True}))
          done()
          """));
      try (AgentRuntime runtime = AgentRuntime.builder(agent).consoleOutput(false).build()) {
        Measure measure = measure(runtime, "hundred");
        assertThat(measure.tools()).isEqualTo(100);
        // A few hundred tokens, as characters / 4 counts them (a real tokenizer: fewer).
        assertThat(measure.listing() / 4).isLessThan(500);
        assertThat(runtime.systemPrompt()).contains("- `crm`: archive_company, archive_contact,");

        RunResult result = runtime.run("mark invoice INV-7 paid");
        String output = McpClientTest.results(runtime);
        assertThat(result.finished()).as(output).isTrue();
        assertThat(output)
            .contains("crm.search_ticket(", "Finds tickets whose fields match the given values.")
            // The schema's properties come in no fixed order; the required one comes first.
            .contains("crm.update_invoice(id: str, ", "limit: int = None", "fields: dict = None")
            .contains("The invoice's id.")
            .contains("update_invoice {fields={paid=true}, id=INV-7}");
      }
    }
  }

  private record Measure(int tools, int listing, int full) {}

  /** Prints and writes the listing and the full signatures of a runtime's MCP tools. */
  private Measure measure(AgentRuntime runtime, String name) throws Exception {
    Path bare =
        Agents.write(Files.createDirectories(dir.resolve("bare-" + name)), "[]", List.of("done()"));
    try (AgentRuntime without = AgentRuntime.builder(bare).consoleOutput(false).build()) {
      String prompt = runtime.systemPrompt();
      List<ToolDefinition> tools =
          runtime.registry().tools().stream().filter(t -> t.name().contains(".")).toList();
      int listing = prompt.length() - without.systemPrompt().length();
      StringBuilder full = new StringBuilder();
      tools.forEach(
          t ->
              full.append("- `")
                  .append(t.signature())
                  .append("`: ")
                  .append(t.description())
                  .append('\n'));
      String section =
          prompt.substring(prompt.indexOf("## MCP servers"), prompt.indexOf("# Example"));
      Files.createDirectories(OUT);
      Files.writeString(OUT.resolve(name + "-listing.txt"), section);
      Files.writeString(OUT.resolve(name + "-full.txt"), full);
      System.out.println(section);
      System.out.printf("%s: %d MCP tools%n", name, tools.size());
      System.out.printf(
          "listing: %d chars (~%d tokens, ~%.1f per tool)%n",
          listing, listing / 4, listing / 4.0 / tools.size());
      System.out.printf(
          "full signatures and docs: %d chars (~%d tokens, ~%.1f per tool)%n",
          full.length(), full.length() / 4, full.length() / 4.0 / tools.size());
      return new Measure(tools.size(), listing, full.length());
    }
  }
}
