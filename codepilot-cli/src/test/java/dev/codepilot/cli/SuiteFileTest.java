package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading suite files: every setting, and errors that name the file, the line and the field. */
class SuiteFileTest {

  @TempDir Path dir;

  @BeforeEach
  void agent() throws Exception {
    EvalFixtures.agent(dir, Map.of("c.json", List.of("x")));
    Files.createDirectories(dir.resolve("other"));
    Files.copy(dir.resolve("agent.yaml"), dir.resolve("other/agent.yaml"));
  }

  private Suite load(String yaml) throws Exception {
    Path file = dir.resolve("suite.yaml");
    Files.writeString(file, yaml);
    return SuiteFile.load(file);
  }

  private void refused(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(SuiteException.class)
        .hasMessage(dir.resolve("suite.yaml") + message);
  }

  @Test
  void readsEverySetting() throws Exception {
    Suite suite =
        load(
            """
        name: "smoke"
        agent: "./agent.yaml"
        cases:
          - name: "first"
            task: "Do it"
            cassette: "./c.json"
            approve: true
            answers: ["yes", "blue"]
            expect:
              finished: true
              summary_contains: ["a", "b"]
              summary_matches: "^A"
              files:
                "out/x.txt": {contains: "x", equals: "x\\n", matches: "x$"}
                "gone.txt": {exists: false}
                "there.txt":
              command:
                - {run: "true"}
                - {run: "false", exit_code: 1, output_contains: "", output_matches: ".*",
                   timeout: 5}
              max_steps: 3
              max_tokens: 1_000
              no_security_errors: true
              check: "x > 1"
          - name: "second"
            agent: "./other/agent.yaml"
            task: ["one", "two"]
        """);

    assertThat(suite.name()).isEqualTo("smoke");
    assertThat(suite.cases()).hasSize(2);
    Suite.Case first = suite.cases().get(0);
    assertThat(first.agent()).isEqualTo(dir.resolve("agent.yaml").toAbsolutePath());
    assertThat(first.tasks()).containsExactly("Do it");
    assertThat(first.cassette()).contains(dir.resolve("c.json").toAbsolutePath());
    assertThat(first.approve()).isTrue();
    assertThat(first.answers()).containsExactly("yes", "blue");
    assertThat(first.line()).isEqualTo(4);
    Suite.Expectations expect = first.expect();
    assertThat(expect.finished()).contains(true);
    assertThat(expect.summaryContains()).containsExactly("a", "b");
    assertThat(expect.summaryMatches()).extracting(p -> p.pattern()).containsExactly("^A");
    assertThat(expect.files())
        .extracting(Suite.FileCheck::path)
        .containsExactly("out/x.txt", "gone.txt", "there.txt");
    assertThat(expect.files().get(0).equals()).contains("x\n");
    assertThat(expect.files().get(1).exists()).isFalse();
    assertThat(expect.files().get(2).exists()).isTrue();
    assertThat(expect.commands()).hasSize(2);
    assertThat(expect.commands().get(0).exitCode()).isZero();
    assertThat(expect.commands().get(0).timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(expect.commands().get(1).exitCode()).isEqualTo(1);
    assertThat(expect.commands().get(1).timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(expect.maxSteps()).hasValue(3);
    assertThat(expect.maxTokens()).hasValue(1000);
    assertThat(expect.noSecurityErrors()).isTrue();
    assertThat(expect.checks()).containsExactly("x > 1");

    Suite.Case second = suite.cases().get(1);
    assertThat(second.agent()).isEqualTo(dir.resolve("other/agent.yaml").toAbsolutePath());
    assertThat(second.tasks()).containsExactly("one", "two");
    assertThat(second.cassette()).isEmpty();
    assertThat(second.approve()).isFalse();
    assertThat(suite.agentFiles()).hasSize(2);
    assertThat(suite.filter("SEC").cases()).extracting(Suite.Case::name).containsExactly("second");
  }

  @Test
  void theSuiteIsNamedAfterItsFileUnlessItSaysOtherwise() throws Exception {
    Suite suite = load("agent: ./agent.yaml\ncases:\n  - {name: a, task: t}\n");
    assertThat(suite.name()).isEqualTo("suite");
  }

  @Test
  void namesTheFieldAndLineOfEveryMistake() {
    refused(
        "agent: ./agent.yaml\ncases:\n  - name: a\n    tsk: t\n",
        ":4: cases[0].tsk: unknown key 'tsk'; valid keys under cases[0]: name, agent, task,"
            + " cassette, approve, answers, expect");
    refused("agent: ./agent.yaml\ncases:\n  - name: a\n", ":3: cases[0].task: is required");
    refused(
        "agent: ./agent.yaml\ncases:\n  - {name: a, task: t}\n  - {name: a, task: u}\n",
        ":4: cases[1].name: another case is already named 'a'; case names must be unique");
    refused(
        "agent: ./nope.yaml\ncases:\n  - {name: a, task: t}\n",
        ":1: agent: no such file: "
            + dir.resolve("nope.yaml")
            + " (paths are relative to the suite file's folder)");
    refused(
        "cases:\n  - {name: a, task: t}\n",
        ":2: cases[0].agent: is required when the suite has no agent: of its own; name the"
            + " agent file at the top (agent: \"./agent.yaml\") or in each case");
    refused(
        "agent: ./agent.yaml\ncases:\n  - name: a\n    task: t\n    cassette: ./none.json\n",
        ":5: cases[0].cassette: no such file: "
            + dir.resolve("none.json")
            + " (paths are relative to the suite file's folder)");
    refused(
        "agent: ./agent.yaml\ncases:\n  - name: a\n    task: t\n    expect:\n"
            + "      summary_matches: \"(unclosed\"\n",
        ":6: cases[0].expect.summary_matches: is not a valid regular expression: Unclosed"
            + " group near index 9 of '(unclosed'");
    refused(
        "agent: ./agent.yaml\ncases:\n  - name: a\n    task: t\n    expect:\n"
            + "      max_steps: many\n",
        ":6: cases[0].expect.max_steps: must be a whole number from 1 up; found the text"
            + " 'many'");
    refused(
        "agent: ./agent.yaml\ncases:\n  - name: a\n    task: t\n    expect:\n"
            + "      finished: \"yes\"\n",
        ":6: cases[0].expect.finished: must be true or false; found the text 'yes'");
    refused(
        "agent: ./agent.yaml\ncases:\n  - name: a\n    task: t\n    expect:\n"
            + "      files: {\"../x\": {}}\n",
        ":6: cases[0].expect.files.../x: must be a path relative to the agent's work_dir,"
            + " and inside it");
    refused(
        "agent: ./agent.yaml\ncases:\n  - name: a\n    task: t\n    expect:\n"
            + "      command: {exit_code: 1}\n",
        ":6: cases[0].expect.command.run: is required");
    refused(
        "agent: ./agent.yaml\ncases:\n  - name: a\n    task: t\n    expect:\n"
            + "      files: {\"x\": {exists: false, contains: \"y\"}}\n",
        ":6: cases[0].expect.files.x.exists: a file that must not exist cannot have contains,"
            + " equals or matches checks");
    refused(
        "agent: ./agent.yaml\ncases: []\n",
        ":2: cases: must be a list of cases, each with a name and a task");
    refused(
        "agent: ./agent.yaml\ncases:\n  - name: a\n    task: [\n",
        ":5: YAML syntax error: expected the node content, but found '<stream end>'; check the"
            + " indentation, colons and quotes on this line and the one before");
    refused("", ": the file is empty; a suite needs agent: and cases:");
  }

  @Test
  void aMissingSuiteFileIsNamed() {
    assertThatThrownBy(() -> SuiteFile.load(dir.resolve("absent.yaml")))
        .isInstanceOf(SuiteException.class)
        .hasMessage(dir.resolve("absent.yaml") + ": no such suite file");
  }
}
