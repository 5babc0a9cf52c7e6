package dev.codepilot.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.hooks.EventType;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/GUIDE.md and the README's library section true: their code is the tagged regions of
 * the examples (run with {@code -Dcodepilot.updateSnippets=true} to copy changed regions into the
 * documents), their event table matches what a runtime really prints, and every agent-file key and
 * every example is covered.
 */
class GuideTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path GUIDE = ROOT.resolve("docs/GUIDE.md");
  private static final Path README = ROOT.resolve("README.md");

  @TempDir Path tmp;

  @Test
  void everyCodeBlockMatchesItsTaggedRegion() throws Exception {
    Snippets snippets = new Snippets(ROOT);
    if (Boolean.getBoolean("codepilot.updateSnippets")) {
      snippets.update(GUIDE);
      snippets.update(README);
    }
    List<Snippets.Block> blocks = new ArrayList<>(snippets.blocks(GUIDE));
    blocks.addAll(snippets.blocks(README));

    assertThat(blocks).hasSizeGreaterThan(30);
    List<String> stale =
        blocks.stream()
            .filter(b -> !b.matches())
            .map(
                b ->
                    ROOT.relativize(b.markdown())
                        + ":"
                        + b.line()
                        + " shows "
                        + b.source()
                        + "#"
                        + b.tag()
                        + " as it was; expected:\n"
                        + b.expected())
            .toList();
    assertThat(stale)
        .as(
            "code blocks out of date; copy the regions into the documents with ./mvnw -pl"
                + " codepilot-examples -am verify -Dtest=GuideTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dcodepilot.updateSnippets=true")
        .isEmpty();
  }

  @Test
  void theEventTableShowsEveryEventAsTheRuntimePrintsIt() throws Exception {
    Agents.Output out = new Agents.Output();
    EventReference.run(Agents.copy("events", tmp), out.stream());
    List<String> printed = out.text().lines().toList();
    String guide = guide();

    for (EventType type : EventType.values()) {
      String row =
          guide
              .lines()
              .filter(line -> line.startsWith("| `" + type.name() + "` |"))
              .findFirst()
              .orElse(null);
      assertThat(row).as("event table row for " + type).isNotNull();
      String json = row.replaceAll(".*`(\\{\"event\":.*?\\})`.*", "$1");
      // A sub-agent's event is written as the event it carries, with "agent" added.
      assertThat(json)
          .as("JSON example in the row of " + type)
          .startsWith(
              type == EventType.SUB_AGENT
                  ? "{\"event\":\""
                  : "{\"event\":\"" + type.wireName() + "\"");
      if (type == EventType.SUB_AGENT) {
        assertThat(json).contains("\"agent\":");
      }
      assertThat(printed).as("EventReference output").contains(json);
    }
  }

  @Test
  void everyAgentFileKeyIsDocumented() throws Exception {
    String guide = guide();
    for (String list :
        List.of(
            "AgentFileReader.AGENT_KEYS",
            "ModelSectionReader.MODEL_KEYS",
            "RuntimeSectionReader.RUNTIME_KEYS",
            "ToolsSectionReader.TOOL_KEYS")) {
      String[] parts = list.split("\\.");
      Field field = Class.forName("dev.codepilot.config." + parts[0]).getDeclaredField(parts[1]);
      field.setAccessible(true);
      @SuppressWarnings("unchecked")
      List<String> keys = (List<String>) field.get(null);
      for (String key : keys) {
        assertThat(guide)
            .as("the guide documents the agent-file key " + key)
            .containsPattern("\\| `(agent\\.|model\\.|runtime\\.|tools\\[\\]\\.)?" + key + "`");
      }
    }
  }

  @Test
  void everyExampleIsShownInTheGuide() throws Exception {
    String guide = guide();
    try (Stream<Path> sources = Files.list(Path.of("src/main/java/dev/codepilot/examples"))) {
      for (Path source : sources.toList()) {
        if (Files.readString(source).contains("public static void main")) {
          String name = source.getFileName().toString().replace(".java", "");
          assertThat(guide).as("the guide presents " + name).contains("run.sh " + name);
        }
      }
    }
  }

  private static String guide() throws Exception {
    return Files.readString(GUIDE, StandardCharsets.UTF_8);
  }
}
