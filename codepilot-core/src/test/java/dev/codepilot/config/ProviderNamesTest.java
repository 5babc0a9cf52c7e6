package dev.codepilot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider names an agent file is checked against come from its caller. */
class ProviderNamesTest {

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void theCallersNamesAreTheOnesAccepted() throws Exception {
    Path file = write("agent.yaml", "name: A\nmodel: {provider: acme, name: m1}\n");

    AgentConfig config = AgentFile.load(file, Set.of("acme", "replay"));

    assertThat(config.model().provider()).isEqualTo("acme");
    AgentFileException e = assertThrows(AgentFileException.class, () -> AgentFile.load(file));
    assertThat(e.field()).isEqualTo("model.provider");
    assertThat(e.getMessage()).contains("unknown provider 'acme'");
  }

  @Test
  void aNameOutsideTheSetIsRefusedWithTheSetListed() throws Exception {
    Path file = write("agent.yaml", "name: A\nmodel: {provider: openai, name: gpt-4o}\n");

    AgentFileException e =
        assertThrows(
            AgentFileException.class, () -> AgentFile.load(file, Set.of("replay", "acme")));

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).endsWith("unknown provider 'openai'; known providers: acme, replay");
  }

  @Test
  void subAgentFilesAreCheckedAgainstTheSameNames() throws Exception {
    write("helper.yaml", "name: Helper\nmodel: {provider: acme, name: m2}\n");
    Path lead =
        write(
            "lead.yaml",
            """
        name: Lead
        model: {provider: acme, name: m1}
        agents:
          - {name: helper, file: ./helper.yaml}
        """);

    AgentConfig config = AgentFile.load(lead, Set.of("acme"));

    assertThat(config.agents())
        .singleElement()
        .satisfies(agent -> assertThat(agent.config().model().provider()).isEqualTo("acme"));
  }

  @Test
  void aNearMissIsRefusedWithASuggestionAndTheGivenNamesSorted() throws Exception {
    Path file = write("agent.yaml", "name: A\nmodel: {provider: acmee, name: m1}\n");

    AgentFileException e =
        assertThrows(
            AgentFileException.class, () -> AgentFile.load(file, Set.of("zeta", "acme", "replay")));

    assertThat(e.getMessage())
        .endsWith(
            "unknown provider 'acmee'; did you mean 'acme'?"
                + " known providers: acme, replay, zeta");
  }
}
