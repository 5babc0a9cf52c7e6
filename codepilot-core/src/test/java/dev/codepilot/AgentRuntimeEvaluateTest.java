package dev.codepilot;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AgentRuntime#evaluate(String)}: expressions checked after a run, in its sandbox. */
class AgentRuntimeEvaluateTest {

  @TempDir Path workDir;

  private AgentRuntime ranOnce() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(
                block("total = sum(range(4))\nprint('total', total)"), block("done('Added up.')"));
    AgentRuntime runtime = AgentRuntime.builder(TestAgents.config(workDir)).model(model).build();
    assertThat(runtime.run("Add up").finished()).isTrue();
    return runtime;
  }

  @Test
  void seesTheVariablesAndResultsTheAgentsBlocksLeft() throws Exception {
    try (AgentRuntime runtime = ranOnce()) {
      AgentRuntime.Evaluation total = runtime.evaluate("total == 6  # six");
      assertThat(total.failed()).as(total.error()).isFalse();
      assertThat(total.truthy()).isTrue();
      assertThat(total.value()).isEqualTo("True");

      AgentRuntime.Evaluation results = runtime.evaluate("[r for r in results][0]");
      assertThat(results.truthy()).isTrue();
      assertThat(results.value()).contains("total 6");

      AgentRuntime.Evaluation big = runtime.evaluate("total > 10");
      assertThat(big.failed()).isFalse();
      assertThat(big.truthy()).isFalse();
      assertThat(big.value()).isEqualTo("False");
    }
  }

  @Test
  void reportsErrorsAndPolicyRefusalsInsteadOfAValue() throws Exception {
    try (AgentRuntime runtime = ranOnce()) {
      AgentRuntime.Evaluation missing = runtime.evaluate("undefined_name > 1");
      assertThat(missing.failed()).isTrue();
      assertThat(missing.truthy()).isFalse();
      assertThat(missing.error()).contains("NameError").contains("undefined_name");

      AgentRuntime.Evaluation refused = runtime.evaluate("__import__('os').getcwd()");
      assertThat(refused.failed()).isTrue();
      assertThat(refused.error()).startsWith("refused by the sandbox policy");

      AgentRuntime.Evaluation statement = runtime.evaluate("x = 1");
      assertThat(statement.failed()).isTrue();
      assertThat(statement.error()).contains("SyntaxError");
    }
  }

  @Test
  void hasNoToolsSoItCannotChangeTheWorkspace() throws Exception {
    try (AgentRuntime runtime = ranOnce()) {
      AgentRuntime.Evaluation write = runtime.evaluate("write_file('made.txt')");
      assertThat(write.failed()).isTrue();
      assertThat(write.error()).contains("NameError").contains("write_file");
      assertThat(workDir.resolve("made.txt")).doesNotExist();
    }
  }

  @Test
  void aCopyWithAnotherWorkDirPutsTheAgentsFilesThere() throws Exception {
    Path elsewhere = Files.createDirectories(workDir.resolve("elsewhere"));
    AgentConfig config = TestAgents.config(workDir);
    AgentConfig moved = config.withRuntime(config.runtime().withWorkDir(elsewhere));
    QueueModel model =
        new QueueModel()
            .reply(block("write_file('a.txt')\ndone('Wrote it.')") + "\n```\nhello\n```");
    try (AgentRuntime runtime = AgentRuntime.builder(moved).model(model).build()) {
      assertThat(runtime.run("Write").finished()).isTrue();
    }
    assertThat(moved.runtime().workDir()).isEqualTo(elsewhere.toAbsolutePath());
    assertThat(elsewhere.resolve("a.txt")).hasContent("hello");
    assertThat(workDir.resolve("a.txt")).doesNotExist();
  }
}
