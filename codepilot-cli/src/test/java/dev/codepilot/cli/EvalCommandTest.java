package dev.codepilot.cli;

import static dev.codepilot.cli.EvalFixtures.block;
import static dev.codepilot.cli.EvalFixtures.caseNamed;
import static dev.codepilot.cli.EvalFixtures.failures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code codepilot eval} as a subprocess: expectations, isolation, parallel runs, repeats. */
class EvalCommandTest {

  /** Writes hello.sh, runs it and leaves {@code count} behind; then finishes. */
  private static final List<String> GREETS =
      List.of(
          block(
              "write_file('hello.sh')\nout = run_command('sh hello.sh')\ncount = 3\nprint(out)",
              "#!/bin/sh\necho \"Hello, eval\"\n"),
          block("done('Wrote hello.sh; it greets.')"));

  @TempDir Path dir;

  @Test
  void everyExpectationKindPassesWhenItHoldsAndFailsWithAnExplanationWhenNot() throws Exception {
    EvalFixtures.agent(
        dir,
        Map.of(
            "greets.json", GREETS,
            "refused.json",
                Stream.concat(Stream.of(block("import subprocess")), GREETS.stream()).toList(),
            "unfinished.json", List.of(block("print('still working')"))));
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        agent: "./agent.yaml"
        cases:
          - name: "all hold"
            task: "Write a greeting script and run it"
            cassette: "./greets.json"
            expect:
              finished: true
              summary_contains: "hello.sh"
              summary_matches: "^Wrote .* greets\\\\.$"
              files:
                "hello.sh":
                  contains: "echo"
                  equals: "#!/bin/sh\\necho \\"Hello, eval\\"\\n"
                  matches: "Hello, \\\\w+"
                "seed.txt": {}
                "gone.txt": {exists: false}
              command: {run: "sh hello.sh", exit_code: 0, output_contains: "Hello",
                        output_matches: "^Hello, eval$"}
              max_steps: 2
              max_tokens: 10
              no_security_errors: true
              check: ["count == 3", "'Hello, eval' in results[0]"]
          - name: "none hold"
            task: "Write a greeting script and run it"
            cassette: "./refused.json"
            expect:
              finished: false
              summary_contains: "goodbye"
              summary_matches: "^nothing$"
              files:
                "hello.sh": {contains: "zzz", equals: "other\\n", matches: "q{3}"}
                "missing.txt": {}
                "seed.txt": {exists: false}
              command: {run: "sh hello.sh; exit 3", output_contains: "absent",
                        output_matches: "^never$"}
              max_steps: 2
              no_security_errors: true
              check: ["count == 4", "undefined_name"]
          - name: "never finishes"
            task: "Keep working"
            cassette: "./unfinished.json"
            expect:
              finished: true
              summary_contains: "done"
        """);
    List<Path> before = evalTempDirs();

    Cli.Result result = Cli.run(dir, "eval", dir.resolve("suite.yaml").toString(), "--json");

    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
    List<JsonNode> lines = EvalFixtures.lines(result);
    assertThat(lines).hasSize(4);
    JsonNode passing = caseNamed(lines, "all hold");
    assertThat(failures(passing)).isEmpty();
    assertThat(passing.get("passed").asBoolean()).isTrue();
    assertThat(passing.get("steps").asInt()).isEqualTo(2);
    assertThat(passing.get("tokens").asLong()).isZero();
    assertThat(passing.get("seconds").asDouble()).isPositive();
    assertThat(passing.get("outcome").asText()).isEqualTo("finished");

    JsonNode failing = caseNamed(lines, "none hold");
    assertThat(failing.get("passed").asBoolean()).isFalse();
    assertThat(failing.get("steps").asInt()).isEqualTo(3);
    assertThat(failures(failing))
        .containsExactlyInAnyOrder(
            "finished: expected the run not to finish, but done() was called:"
                + " \"Wrote hello.sh; it greets.\"",
            "summary_contains \"goodbye\": the summary does not contain it; it is"
                + " \"Wrote hello.sh; it greets.\"",
            "summary_matches /^nothing$/: the summary does not match; it is"
                + " \"Wrote hello.sh; it greets.\"",
            "max_steps: took 3 steps, more than 2",
            "no_security_errors: the policy refused 1 block; first: "
                + failures(failing).stream()
                    .filter(f -> f.startsWith("no_security_errors"))
                    .findFirst()
                    .orElse("")
                    .replaceFirst(".*first: ", ""),
            "check `count == 4`: is false (its value: False)",
            failures(failing).stream()
                .filter(f -> f.startsWith("check `undefined_name`"))
                .findFirst()
                .orElse("missing"),
            "files.hello.sh: does not contain \"zzz\"; it holds"
                + " \"#!/bin/sh\\necho \\\"Hello, eval\\\"\\n\"",
            "files.hello.sh: differs from the expected content at line 1 (expected \"other\","
                + " found \"#!/bin/sh\"); it holds \"#!/bin/sh\\necho \\\"Hello, eval\\\"\\n\"",
            "files.hello.sh: does not match /q{3}/; it holds"
                + " \"#!/bin/sh\\necho \\\"Hello, eval\\\"\\n\"",
            "files.missing.txt: does not exist",
            "files.seed.txt: exists, but must not",
            "command `sh hello.sh; exit 3`: exited with 3, expected 0; output: \"Hello, eval\\n\"",
            "command `sh hello.sh; exit 3`: output does not contain \"absent\"; output:"
                + " \"Hello, eval\\n\"",
            "command `sh hello.sh; exit 3`: output does not match /^never$/; output:"
                + " \"Hello, eval\\n\"");
    assertThat(failures(failing))
        .anySatisfy(
            f ->
                assertThat(f)
                    .startsWith("no_security_errors: the policy refused 1 block; first: ")
                    .contains("subprocess"));
    assertThat(failures(failing))
        .anySatisfy(
            f ->
                assertThat(f)
                    .startsWith("check `undefined_name`: could not be evaluated: ")
                    .contains("NameError"));

    JsonNode unfinished = caseNamed(lines, "never finishes");
    assertThat(unfinished.get("outcome").asText()).isEqualTo("failed");
    assertThat(failures(unfinished))
        .containsExactly(
            "finished: expected done() to end the run, but it ended with failed"
                + " (\"model request failed: cassette exhausted\")",
            "summary_contains \"done\": there is no summary (done() was not called)");

    JsonNode summary = lines.get(3).get("summary");
    assertThat(summary.get("passed").asInt()).isEqualTo(1);
    assertThat(summary.get("failed").asInt()).isEqualTo(2);
    assertThat(summary.get("pass_rate").asDouble()).isEqualTo(0.333);
    // Cases ran in copies: the agent's own work_dir is as it was, and no copy is left behind.
    try (Stream<Path> files = Files.list(dir.resolve("workspace"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("seed.txt");
    }
    assertThat(evalTempDirs()).isSubsetOf(before);
  }

  @Test
  void parallelCasesRunAtOnceEachInItsOwnCopyOfTheWorkDir() throws Exception {
    EvalFixtures.agent(
        dir,
        Map.of(
            "a.json",
                List.of(
                    block(
                        "write_file('mine.txt')\nrun_command('sleep 3')\n"
                            + "name = ask_user('Your name?')\nagain = ask_user('Again?')\n"
                            + "late = ask_user('Once more?')\ndone('A')",
                        "A\n")),
            "b.json",
                List.of(
                    block("write_file('mine.txt')\nrun_command('sleep 3')\ndone('B')", "B\n"))));
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        agent: "./agent.yaml"
        cases:
          - name: "a"
            task: "Write A"
            cassette: "./a.json"
            answers: ["Ada", "Lovelace"]
            expect:
              files: {"mine.txt": {equals: "A\\n"}, "seed.txt": {equals: "seeded\\n"}}
              check: "(name, again, late) == ('Ada', 'Lovelace', '')"
          - name: "b"
            task: "Write B"
            cassette: "./b.json"
            expect:
              files: {"mine.txt": {equals: "B\\n"}, "seed.txt": {equals: "seeded\\n"}}
        """);

    Cli.Result result =
        Cli.run(
            dir,
            "eval",
            dir.resolve("suite.yaml").toString(),
            "--json",
            "--parallel",
            "2",
            "--keep");

    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
    List<JsonNode> lines = EvalFixtures.lines(result);
    Path keptA = Path.of(caseNamed(lines, "a").get("work_dir").asText());
    Path keptB = Path.of(caseNamed(lines, "b").get("work_dir").asText());
    try {
      assertThat(keptA).isNotEqualTo(keptB);
      assertThat(keptA.resolve("mine.txt")).hasContent("A");
      assertThat(keptB.resolve("mine.txt")).hasContent("B");
      assertThat(dir.resolve("workspace/mine.txt")).doesNotExist();
      // Each case sleeps 3 s; run one after the other the suite would take longer than both.
      double both =
          caseNamed(lines, "a").get("seconds").asDouble()
              + caseNamed(lines, "b").get("seconds").asDouble();
      assertThat(lines.get(2).get("summary").get("seconds").asDouble()).isLessThan(both - 2);
    } finally {
      deleteTree(keptA.getParent());
      deleteTree(keptB.getParent());
    }
  }

  @Test
  void repeatGivesPassAtKAndTheSpreadAcrossRounds() throws Exception {
    EvalFixtures.agent(dir, Map.of("greets.json", GREETS));
    Path mark = dir.resolve("first-attempt-done");
    // Fails on its first attempt only: the command leaves a mark outside the case's copy.
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        agent: "./agent.yaml"
        cases:
          - name: "steady"
            task: "Greet"
            cassette: "./greets.json"
            expect: {finished: true}
          - name: "flaky"
            task: "Greet"
            cassette: "./greets.json"
            expect:
              command: {run: "if [ -e '%s' ]; then exit 0; fi; touch '%s'; exit 1"}
        """
            .formatted(mark, mark));

    Cli.Result result =
        Cli.run(dir, "eval", dir.resolve("suite.yaml").toString(), "--json", "--repeat", "3");

    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
    List<JsonNode> lines = EvalFixtures.lines(result);
    assertThat(lines).hasSize(7);
    assertThat(lines.subList(0, 6))
        .extracting(
            n ->
                n.get("case").asText()
                    + "#"
                    + n.get("attempt").asInt()
                    + "="
                    + n.get("passed").asBoolean())
        .containsExactlyInAnyOrder(
            "steady#1=true",
            "steady#2=true",
            "steady#3=true",
            "flaky#1=false",
            "flaky#2=true",
            "flaky#3=true");
    JsonNode summary = lines.get(6).get("summary");
    assertThat(summary.get("passed").asInt()).isEqualTo(5);
    assertThat(summary.get("failed").asInt()).isEqualTo(1);
    assertThat(summary.get("repeat").asInt()).isEqualTo(3);
    assertThat(summary.get("pass_at_k").asDouble()).isEqualTo(1.0);
    assertThat(summary.get("pass_all_k").asDouble()).isEqualTo(0.5);
    assertThat(summary.get("round_pass_rates").toString()).isEqualTo("[0.5,1.0,1.0]");
    assertThat(summary.get("spread").get("min").asDouble()).isEqualTo(0.5);
    assertThat(summary.get("spread").get("max").asDouble()).isEqualTo(1.0);
    assertThat(summary.get("spread").get("stddev").asDouble()).isEqualTo(0.236);
    assertThat(summary.get("per_case").get("flaky").asInt()).isEqualTo(2);
    assertThat(summary.get("per_case").get("steady").asInt()).isEqualTo(3);
  }

  @Test
  void theTerminalOutputShowsALinePerCaseWithItsFailuresAndTheFilterPicksCases() throws Exception {
    EvalFixtures.agent(dir, Map.of("greets.json", GREETS));
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        agent: "./agent.yaml"
        cases:
          - name: "greets"
            task: "Greet"
            cassette: "./greets.json"
            expect: {summary_contains: "hello.sh"}
          - name: "greets wrongly"
            task: "Greet"
            cassette: "./greets.json"
            expect: {summary_contains: "bonjour"}
          - name: "left out"
            task: "Greet"
            expect: {finished: true}
        """);

    Cli.Result result =
        Cli.run(dir, "eval", dir.resolve("suite.yaml").toString(), "--filter", "GREETS");

    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
    assertThat(result.stdout())
        .containsPattern("✔ greets +2 steps · 0 tokens · [0-9.]+ s")
        .containsPattern("✘ greets wrongly +2 steps")
        .contains("    · summary_contains \"bonjour\": the summary does not contain it")
        .contains("2 cases: 1 passed, 1 failed — pass rate 50%")
        .doesNotContain("left out");
  }

  @Test
  void onATerminalALiveCountShowsHowManyCasesAreDone() throws Exception {
    EvalFixtures.agent(dir, Map.of("greets.json", GREETS));
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        agent: "./agent.yaml"
        cases:
          - {name: "first", task: "Greet", cassette: "./greets.json"}
          - {name: "second", task: "Greet", cassette: "./greets.json",
             expect: {summary_contains: "bonjour"}}
        """);

    String shown =
        Cli.runInTerminal(dir, "pass rate", "", "eval", dir.resolve("suite.yaml").toString());

    assertThat(shown)
        .contains("0/2 done · 0 passed · 0 failed")
        .contains("1/2 done · 1 passed · 0 failed")
        .contains("✔ first")
        .contains("✘ second")
        .contains("2 cases: 1 passed, 1 failed — pass rate 50%");
  }

  @Test
  void aFilterThatMatchesNoCaseIsBadUsage() throws Exception {
    EvalFixtures.agent(dir, Map.of("greets.json", GREETS));
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        agent: "./agent.yaml"
        cases:
          - {name: "greets", task: "Greet", cassette: "./greets.json"}
        """);

    Cli.Result result =
        Cli.run(dir, "eval", dir.resolve("suite.yaml").toString(), "--filter", "nothing-like-it");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("no case has a name containing 'nothing-like-it'");
  }

  @Test
  void aBadSuiteFileExitsWithTwoNamingTheFieldAndTheLine() throws Exception {
    EvalFixtures.agent(dir, Map.of());
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        agent: "./agent.yaml"
        cases:
          - name: "greets"
            task: "Greet"
            expect:
              summary_contain: "hello"
        """);

    Cli.Result result = Cli.run(dir, "eval", dir.resolve("suite.yaml").toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr())
        .contains(
            "suite.yaml:6: cases[0].expect.summary_contain:" + " unknown key 'summary_contain'");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void ctrlCEndsTheCasesInProgressTheirCommandsAndTheirCopies() throws Exception {
    EvalFixtures.agent(
        dir,
        Map.of(
            "waits.json",
            List.of(
                block(
                    "write_file('started.txt')\nrun_command('sleep 4242')\ndone('late')", "x\n"))));
    Files.writeString(
        dir.resolve("suite.yaml"),
        """
        agent: "./agent.yaml"
        cases:
          - {name: "waits", task: "Wait", cassette: "./waits.json"}
        """);
    List<Path> before = evalTempDirs();

    try (Cli.Running running =
        Cli.start(dir, Map.of(), null, "eval", dir.resolve("suite.yaml").toString(), "--json")) {
      Cli.awaitTrue(
          Duration.ofSeconds(120), "the case's command to start", () -> !sleeping().isEmpty());
      running.interrupt();
      Cli.Result result = running.await(Duration.ofSeconds(60));

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.stdout()).isEmpty();
      assertThat(result.stderr()).contains("stopped; the cases in progress were ended");
    }
    Cli.awaitTrue(Duration.ofSeconds(10), "the case's command to end", () -> sleeping().isEmpty());
    assertThat(evalTempDirs()).isSubsetOf(before);
  }

  /** The processes running the case's {@code sleep 4242}. */
  private static List<ProcessHandle> sleeping() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("sleep 4242")).orElse(false))
        .toList();
  }

  private static List<Path> evalTempDirs() throws Exception {
    try (Stream<Path> paths = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return paths
          .filter(
              p -> p.getFileName().toString().startsWith("codepilot-eval-") && Files.isDirectory(p))
          .toList();
    }
  }

  private static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
