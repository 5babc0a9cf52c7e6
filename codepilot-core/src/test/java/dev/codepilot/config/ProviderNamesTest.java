package dev.codepilot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent file's provider names come from {@link ProviderNames} alone: the reader accepts and
 * suggests exactly the names it is given, whatever is on the class path.
 */
class ProviderNamesTest {

  @TempDir
  Path dir;

  @Test
  void aProviderTheReaderIsToldOfIsAccepted() throws Exception {
    Path file = agent("acme");

    AgentConfig config = read(file, Set.of("replay", "acme"));

    assertThat(config.model().provider()).isEqualTo("acme");
  }

  @Test
  void anUnknownProviderIsRefusedWithTheGivenNamesSorted() throws Exception {
    Path file = agent("acmee");

    assertThatThrownBy(() -> read(file, Set.of("zeta", "acme", "replay")))
        .isInstanceOf(AgentFileException.class)
        .hasMessageEndingWith("agent.model.provider: unknown provider 'acmee'; did you mean"
            + " 'acme'? known providers: acme, replay, zeta");
  }

  @Test
  void discoveredNamesIncludeTheBuiltInReplayProvider() {
    assertThat(ProviderNames.discovered().known()).contains("replay");
  }

  private Path agent(String provider) throws Exception {
    return Files.writeString(dir.resolve("agent.yaml"), """
        agent:
          name: "Named"
          model:
            provider: "%s"
            name: "m-1"
        """.formatted(provider));
  }

  private static AgentConfig read(Path file, Set<String> names) throws Exception {
    return new AgentFileReader(file, new ProviderNames(names))
        .read(YamlValues.parse(file, Files.readString(file)));
  }
}
