package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code codepilot run} as a subprocess: output, JSON Lines, exit codes and permission rules. */
class RunCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theHelloExampleRunsOfflineWritesItsScriptAndFinishes() throws Exception {
    Path agent = Cli.copyExample("hello", dir.resolve("hello"));
    Cli.Result result =
        Cli.run(
            dir,
            "run",
            agent.resolve("agent.yaml").toString(),
            "Write a greeting script and run it");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(agent.resolve("workspace/hello.sh"))
        .hasContent("#!/bin/sh\necho \"Hello from CodePilot!\"\n");
    assertThat(result.stdout())
        .contains("Writing hello.sh and running it")
        .contains("Hello from CodePilot!")
        .contains("Done: Created hello.sh");
  }

  @Test
  void jsonModePrintsOneEventObjectPerLineAndNothingElse() throws Exception {
    Path agent = Cli.copyExample("hello", dir.resolve("hello"));
    Cli.Result result =
        Cli.run(dir, "run", agent.resolve("agent.yaml").toString(), "Greet", "--json");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    List<JsonNode> events = new ArrayList<>();
    for (String line : result.stdoutLines()) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      events.add(node);
    }
    assertThat(events)
        .extracting(e -> e.get("event").asText())
        .containsExactly(
            "start",
            "step",
            "think",
            "tool_call",
            "tool_result",
            "tool_call",
            "tool_result",
            "finish");
    assertThat(events.get(0).get("task").asText()).isEqualTo("Greet");
    assertThat(events.get(1).get("step").asInt()).isEqualTo(1);
    assertThat(events.get(1).get("max_steps").asInt()).isEqualTo(5);
    assertThat(events.get(3).get("tool").asText()).isEqualTo("write_file");
    assertThat(events.get(3).get("args").get("path").asText()).isEqualTo("hello.sh");
    assertThat(events.get(7).get("summary").asText()).startsWith("Created hello.sh");
  }

  @Test
  void aBadAgentFileExitsWithTwoNamingTheFileAndLine() throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        agent:
          name: "Broken"
          model:
            provider: "replay"
            cassette: "./c.json"
          runtime:
            max_stepz: 3
        """);
    Files.writeString(dir.resolve("c.json"), "{\"responses\": []}");
    Cli.Result result = Cli.run(dir, "run", file.toString(), "anything");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("agent.yaml").contains("7").contains("max_stepz");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void aMissingAgentFileExitsWithTwo() throws Exception {
    Cli.Result result = Cli.run(dir, "run", "nope.yaml", "anything");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("nope.yaml");
  }

  @Test
  void reachingTheStepLimitExitsWithOne() throws Exception {
    Path file =
        replayAgent(List.of("```python\nprint('one')\n```", "```python\nprint('two')\n```"), "");
    Cli.Result result = Cli.run(dir, "run", file.toString(), "loop", "--json", "--max-steps", "1");

    assertThat(result.exitCode()).isEqualTo(1);
    List<String> lines = result.stdoutLines();
    assertThat(lines.get(lines.size() - 1)).isEqualTo("{\"event\":\"max_steps\"}");
  }

  @Test
  void withoutATerminalPermissionIsDeniedAndReported() throws Exception {
    Path file =
        replayAgent(
            List.of(
                "```python\nrun_command('echo ran > proof.txt')\n```",
                "```python\ndone('tried')\n```"),
            """
          tools:
            - name: run_command
              config:
                require_permission: true
        """);
    Cli.Result result = Cli.run(dir, "run", file.toString(), "try", "--json");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .contains("\"event\":\"permission_request\"")
        .contains("Execute: echo ran > proof.txt");
    assertThat(result.stdout()).containsPattern("\"event\":\"tool_result\".*[Pp]ermission denied");
    assertThat(dir.resolve("ws/proof.txt")).doesNotExist();
  }

  @Test
  void yesApprovesEveryPermissionRequest() throws Exception {
    Path file =
        replayAgent(
            List.of("```python\nrun_command('echo ran > proof.txt')\ndone('ran it')\n```"),
            """
          tools:
            - name: run_command
              config:
                require_permission: true
        """);
    Cli.Result result = Cli.run(dir, "run", file.toString(), "try", "--json", "--yes");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("\"event\":\"permission_request\"");
    assertThat(dir.resolve("ws/proof.txt")).hasContent("ran\n");
  }

  @Test
  void helpAndVersionWork() throws Exception {
    Cli.Result help = Cli.run(dir, "run", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout()).contains("AGENT_FILE").contains("--json").contains("--max-steps");
    Cli.Result version = Cli.run(dir, "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.stdout()).startsWith("codepilot 0.");
  }

  @Test
  void everyCommandHasHelp() throws Exception {
    Cli.Result top = Cli.run(dir, "--help");
    assertThat(top.exitCode()).isZero();
    assertThat(top.stdout()).contains("run").contains("chat").contains("sessions").contains("init");
    assertThat(Cli.run(dir, "chat", "--help").stdout()).contains("--session-id").contains("--yes");
    assertThat(Cli.run(dir, "sessions", "--help").stdout())
        .contains("list")
        .contains("show")
        .contains("delete");
    assertThat(Cli.run(dir, "sessions", "list", "--help").stdout()).contains("--session-dir");
    assertThat(Cli.run(dir, "sessions", "show", "--help").stdout()).contains("ID");
    assertThat(Cli.run(dir, "sessions", "delete", "--help").stdout()).contains("ID");
    assertThat(Cli.run(dir, "init", "--help").stdout()).contains("DIR");
  }

  @Test
  void pipedOutputIsPlainTextWithNumberedStepsAndAClosingLine() throws Exception {
    Path agent = Cli.copyExample("hello", dir.resolve("hello"));
    Cli.Result result = Cli.run(dir, "run", agent.resolve("agent.yaml").toString(), "Greet");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).doesNotContain("\u001b[");
    assertThat(result.stdoutLines())
        .startsWith(
            "▶ Greet",
            "── step 1/5",
            "💭 Writing hello.sh and running it",
            "⚙ write_file(path=\"hello.sh\")",
            "  ↳ Wrote 'hello.sh' (39 bytes, 2 lines)",
            "⚙ run_command(command=\"sh hello.sh\")");
    assertThat(result.stdoutLines().getLast())
        .matches("finished · 1 step · \\d+\\.\\d s · tokens not reported");
  }

  @Test
  void aLongRunReportsTheTokensTheContextViewSaved() throws Exception {
    List<String> replies = new ArrayList<>();
    for (int n = 0; n < 14; n++) {
      replies.add("```python\nprint('row %d ' * 300)\n```".formatted(n));
    }
    replies.add("```python\ndone(results[0][:5])\n```");
    Files.writeString(
        dir.resolve("cassette.json"),
        JSON.writeValueAsString(java.util.Map.of("responses", replies)));
    Files.writeString(
        dir.resolve("agent.yaml"),
        """
        agent:
          name: Printer
          model: {provider: replay, cassette: cassette.json}
          runtime: {max_steps: 20}
        """);

    Cli.Result json = Cli.run(dir, "run", dir.resolve("agent.yaml").toString(), "Print", "--json");
    assertThat(json.exitCode()).as(json.stderr()).isZero();
    JsonNode finish = JSON.readTree(json.stdoutLines().getLast());
    assertThat(finish.get("event").asText()).isEqualTo("finish");
    assertThat(finish.get("summary").asText()).isEqualTo("row 0");
    assertThat(finish.get("input_tokens").asLong()).isZero();
    // 15 requests; from the tenth on, five or more results of ~2 KB each go out cut.
    assertThat(finish.get("saved_input_tokens").asLong()).isGreaterThan(5_000);

    Cli.Result plain =
        Cli.run(dir, "run", dir.resolve("agent.yaml").toString(), "Print", "--session", "memory");
    assertThat(plain.stdoutLines().getLast())
        .matches(
            "finished · 15 steps · \\d+\\.\\d s"
                + " · tokens not reported · ~[\\d,]+ input tokens saved by the context view");
  }

  @Test
  void unknownOptionsAreUsageErrors() throws Exception {
    Cli.Result result = Cli.run(dir, "run", "a.yaml", "task", "--frobnicate");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("--frobnicate");
  }

  @Test
  void escapeSequencesInACommandsOutputAreShownNotObeyed() throws Exception {
    Path file =
        replayAgent(
            List.of(
                "```python\nrun_command(\"printf '\\\\033[2J\\\\033[31mred\\\\033[0m\\\\r\\\\n'\")\ndone('printed')\n```"),
            "");
    Cli.Result result = Cli.run(dir, "run", file.toString(), "colour");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .doesNotContain("\u001b")
        .doesNotContain("\r")
        .contains("␛[2J␛[31mred␛[0m");
  }

  private Path replayAgent(List<String> replies, String extra) throws Exception {
    return Cli.replayAgent(dir.resolve("agent.yaml"), "./ws", replies, extra);
  }
}
