package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite over the bundled examples, examples/eval/suite.yaml, runs offline and passes. */
class ExamplesEvalTest {

  @TempDir Path dir;

  @Test
  void everyCaseOfTheExamplesSuitePassesWithoutTouchingTheExamples() throws Exception {
    Path examples = Cli.repositoryRoot().resolve("examples");
    List<Path> workspacesBefore = workspaces(examples);

    Cli.Result result =
        Cli.run(
            dir,
            "eval",
            examples.resolve("eval/suite.yaml").toString(),
            "--json",
            "--parallel",
            "2");

    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
    List<JsonNode> lines = EvalFixtures.lines(result);
    assertThat(lines.subList(0, lines.size() - 1))
        .allSatisfy(line -> assertThat(line.get("failures")).as(line.toString()).isEmpty())
        .extracting(line -> line.get("case").asText())
        .containsExactlyInAnyOrder(
            "hello writes and runs a greeting",
            "multi-turn grows the todo script",
            "permissions: denied without approval",
            "permissions: deploys when approved",
            "resume keeps a journal");
    assertThat(lines.get(lines.size() - 1).get("summary").get("failed").asInt()).isZero();
    assertThat(workspaces(examples)).isEqualTo(workspacesBefore);
  }

  /**
   * The files in the examples' workspaces: the suite works in copies, never in them. (Loading an
   * agent file creates its work_dir, empty, so only files count.)
   */
  private static List<Path> workspaces(Path examples) throws Exception {
    try (Stream<Path> paths = Files.walk(examples)) {
      return paths
          .filter(
              p ->
                  examples.relativize(p).getNameCount() > 2
                      && examples.relativize(p).getName(1).toString().equals("workspace"))
          .sorted()
          .toList();
    }
  }
}
