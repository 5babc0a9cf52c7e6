package dev.codepilot.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.session.FileSession;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled examples run as their files and the README say (multi-turn: ChatCommandTest). */
class ExamplesTest {

  @TempDir Path dir;

  @Test
  void theMcpExampleCallsTheToolsOfTheEverythingServer() throws Exception {
    Path example = Cli.copyExample("mcp", dir.resolve("mcp"));
    // As its README says: the server is installed next to the agent file with npm ci.
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(example.toFile())
            .redirectErrorStream(true)
            .start();
    String npmOutput = new String(npm.getInputStream().readAllBytes(), UTF_8);
    assertThat(npm.waitFor()).as(npmOutput).isZero();

    Cli.Result result =
        Cli.run(dir, "run", example.resolve("agent.yaml").toString(), "Try the everything server");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .contains("⚙ everything.get_sum(a=19, b=23)")
        .contains("The sum of 19 and 23 is 42.")
        .contains("Echo: MCP from a control block")
        .contains("Done: Asked the everything server: The sum of 19 and 23 is 42.");
    assertThat(result.stderr()).doesNotContain("INFO");
  }

  @Test
  void anMcpServerThatCannotStartEndsTheRunWithExitCodeTwo() throws Exception {
    Path agent = Cli.copyExample("mcp", dir.resolve("mcp")).resolve("agent.yaml");
    // Without npm ci the server's script is missing: node exits at once.
    Cli.Result result = Cli.run(dir, "run", agent.toString(), "Try the everything server");

    assertThat(result.exitCode()).as(result.stdout()).isEqualTo(2);
    assertThat(result.stderr())
        .contains("MCP server 'everything' (node node_modules/")
        .contains("could not be started")
        .contains("exited with code 1");
  }

  @Test
  void permissionsWithoutATerminalAreDeniedAndTheAgentSaysSo() throws Exception {
    Path agent = Cli.copyExample("permissions", dir.resolve("permissions"));
    Cli.Result result =
        Cli.run(dir, "run", agent.resolve("agent.yaml").toString(), "Deploy the site");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .contains("⚠ permission: Execute: sh deploy.sh")
        .contains("denied: no terminal to ask (run with --yes to approve)")
        .contains("Done: Did not deploy");
    assertThat(agent.resolve("workspace/site/index.html")).doesNotExist();
  }

  @Test
  void permissionsWithYesAreApproved() throws Exception {
    Path agent = Cli.copyExample("permissions", dir.resolve("permissions"));
    Cli.Result result =
        Cli.run(dir, "run", agent.resolve("agent.yaml").toString(), "Deploy the site", "--yes");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("approved (--yes)").contains("Done: Deployed");
    assertThat(agent.resolve("workspace/site/index.html")).content().contains("Hello");
  }

  @Test
  void resumeCarriesTheSessionFromOneRunToTheNext() throws Exception {
    Path agent = Cli.copyExample("resume", dir.resolve("resume")).resolve("agent.yaml");
    String sessions = dir.resolve("sessions").toString();
    Cli.Result first =
        Cli.run(
            dir,
            "run",
            agent.toString(),
            "Note that the build is green",
            "--session",
            "file",
            "--session-id",
            "journal",
            "--session-dir",
            sessions);
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(first.stdout())
        .contains("Starting new session 'journal'")
        .contains("Done: journal.md now holds 1 entry.");

    Cli.Result second =
        Cli.run(
            dir,
            "run",
            agent.toString(),
            "Note that the release is out",
            "--session",
            "file",
            "--session-id",
            "journal",
            "--session-dir",
            sessions);
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stdout())
        .contains("Resuming session 'journal' (3 messages)")
        .contains("Done: journal.md now holds 2 entries.");

    assertThat(FileSession.readMessages(Path.of(sessions), "journal").orElseThrow())
        .extracting(m -> m.content().lines().findFirst().orElse(""))
        .filteredOn(line -> line.startsWith("[USER INPUT]"))
        .hasSize(2);
    Cli.Result show = Cli.run(dir, "sessions", "show", "journal", "--session-dir", sessions);
    assertThat(show.stdout())
        .contains("Note that the build is green")
        .contains("Note that the release is out");
  }

  @Test
  void theTeamExampleFansOutToTwoSubAgentsAndKeepsTheirSessionsUnderItsOwn() throws Exception {
    Path agent = Cli.copyExample("team", dir.resolve("team")).resolve("agent.yaml");
    Path sessions = dir.resolve("sessions");
    Cli.Result json =
        Cli.run(
            dir,
            "run",
            agent.toString(),
            "Write a brief",
            "--json",
            "--session",
            "file",
            "--session-id",
            "brief",
            "--session-dir",
            sessions.toString());
    assertThat(json.exitCode()).as(json.stderr()).isZero();
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.List<com.fasterxml.jackson.databind.JsonNode> events = new java.util.ArrayList<>();
    for (String line : json.stdoutLines()) {
      events.add(mapper.readTree(line));
    }
    assertThat(events)
        .filteredOn(e -> e.has("agent"))
        .extracting(e -> e.get("agent").asText() + " " + e.get("event").asText())
        .contains("researcher start", "researcher finish", "critic start", "critic finish");
    assertThat(events)
        .filteredOn(e -> !e.has("agent"))
        .extracting(e -> e.get("event").asText())
        .containsSubsequence("tool_call", "tool_result", "tool_call", "tool_result", "finish");
    assertThat(events.getLast().get("summary").asText())
        .contains("from 4 facts")
        .contains("multiprocessing");

    Cli.Result show =
        Cli.run(dir, "sessions", "show", "brief", "--session-dir", sessions.toString());
    assertThat(show.exitCode()).as(show.stderr()).isZero();
    assertThat(show.stdout())
        .contains("Sub-agents")
        .containsPattern("researcher · Researcher" + " · \\d+ messages")
        .containsPattern("critic · Critic · \\d+ messages");

    Cli.Result plain = Cli.run(dir, "run", agent.toString(), "Write a brief");
    assertThat(plain.stdout()).contains("  │ researcher step 1/3", "  │ critic ✔ Add one sentence");

    assertThat(
            Cli.run(dir, "sessions", "delete", "brief", "--session-dir", sessions.toString())
                .exitCode())
        .isZero();
    assertThat(sessions.resolve("brief.agents")).doesNotExist();
  }
}
