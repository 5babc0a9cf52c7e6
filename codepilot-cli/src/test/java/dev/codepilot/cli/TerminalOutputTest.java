package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.model.Message;
import dev.codepilot.session.FileSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the real {@code codepilot} commands print when the model, a command or a session file is
 * hostile: nothing reaches the terminal as a control (escape sequences, BEL, C1, bidi overrides,
 * invisible characters), and a permission request shows the whole of what it asks for.
 */
class TerminalOutputTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Python expressions for commands that look harmless at the end of their display. */
  private static final List<String> SPOOFS =
      List.of(
          "'touch SPOOF1 #' + '\\n' * 60 + 'ls -la'",
          "'touch SPOOF2 #' + ' ' * 5000 + 'ls -la'",
          "'touch SPOOF3 #\\r' + 'ls -la'",
          "'touch SPOOF4 #' + '\\b' * 16 + 'ls -la'",
          "'touch SPOOF5 #\\x1b[2K\\x1b[1G' + 'ls -la'",
          "'touch SPOOF6 #\\u202e' + 'al- sl'",
          "'touch SPOOF7 #\\u2028\\u2029\\u200b\\x9b2K' + 'ls -la'",
          "'touch SPOOF8 #' + ''.join('echo %d\\n' % i for i in range(2000)) + 'ls -la'");

  /** Text that would set the window title, clear the screen, ring, reorder and hide. */
  private static final String HOSTILE_PY =
      "'\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J\\u202eevil\\u2066\\u200b\\u2028\\x7f\\x08end'";

  @TempDir Path dir;

  @Test
  void withoutATerminalEveryLineIsCleanAndTheDenialQuotesTheWholeCommand() throws Exception {
    Path agent = hostileAgent();
    Cli.Result result = Cli.run(dir, "run", agent.toString(), "list the files");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertNoControls(result.stdout());
    assertNoControls(result.stderr());
    List<String> lines = result.stdoutLines();
    List<String> requests = lines.stream().filter(l -> l.startsWith("⚠ permission: ")).toList();
    List<String> denials =
        lines.stream().filter(l -> l.contains("denied: no terminal to ask")).toList();
    assertThat(requests).hasSize(SPOOFS.size());
    assertThat(denials).hasSize(SPOOFS.size());
    for (int i = 0; i < SPOOFS.size(); i++) {
      String mark = "touch SPOOF" + (i + 1) + " #";
      assertThat(requests.get(i)).contains("Execute: " + mark);
      assertThat(denials.get(i)).contains("Execute: " + mark);
    }
    assertThat(requests.get(0)).isEqualTo("⚠ permission: Execute: touch SPOOF1 #⟨60 × ⏎⟩ls -la");
    assertThat(requests.get(1)).endsWith("Execute: touch SPOOF2 #⟨5000 × ␠⟩ls -la");
    assertThat(requests.get(2)).endsWith("Execute: touch SPOOF3 #␍ls -la");
    assertThat(requests.get(3)).endsWith("Execute: touch SPOOF4 #⟨16 × ␈⟩ls -la");
    assertThat(requests.get(4)).endsWith("Execute: touch SPOOF5 #␛[2K␛[1Gls -la");
    assertThat(requests.get(5)).endsWith("Execute: touch SPOOF6 #⟨U+202E⟩al- sl");
    assertThat(requests.get(6))
        .endsWith("Execute: touch SPOOF7 #⟨U+2028⟩⟨U+2029⟩⟨U+200B⟩⟨U+009B⟩2Kls -la");
    assertThat(requests.get(7))
        .contains("Execute: touch SPOOF8 #echo 0⏎echo 1⏎")
        .containsPattern("⟨… [0-9,]+ characters \\([0-9,]+ line breaks\\) not shown …⟩")
        .endsWith("echo 1999⏎ls -la");
    // The model's thought, its error and its summary are shown, not obeyed.
    assertThat(result.stdout())
        .contains("💭 ␛]0;PWNED␇␛[2J⟨U+009B⟩2J⟨U+202E⟩evil")
        .contains("ValueError: ␛]0;PWNED␇")
        .contains("Done: ␛]0;PWNED␇");
    try (var files = Files.list(dir.resolve("ws"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("SPOOF"));
    }
  }

  @Test
  void jsonLinesEscapeEveryControlAndStillCarryTheExactText() throws Exception {
    Path agent = hostileAgent();
    Cli.Result result = Cli.run(dir, "run", agent.toString(), "list the files", "--json");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertNoControls(result.stderr());
    List<String> descriptions = new ArrayList<>();
    for (String line : result.stdoutLines()) {
      assertThat(TerminalText.isClean(line)).as(line).isTrue();
      JsonNode event = JSON.readTree(line);
      if (event.get("event").asText().equals("permission_request")) {
        descriptions.add(event.get("description").asText());
      }
      if (event.get("event").asText().equals("think")) {
        assertThat(event.get("message").asText())
            .isEqualTo(
                "\u001b]0;PWNED\u0007\u001b[2J\u009b2J\u202eevil\u2066\u200b\u2028"
                    + "\u007f\bend");
      }
    }
    assertThat(descriptions).hasSize(SPOOFS.size());
    assertThat(descriptions.get(0))
        .isEqualTo("Execute: touch SPOOF1 #" + "\n".repeat(60) + "ls -la");
    assertThat(result.stderr())
        .contains("codepilot: ✖ denied: no terminal to ask")
        .contains("touch SPOOF1 #⟨60 × ⏎⟩ls -la");
  }

  @Test
  void atATerminalThePromptShowsWhatTheCommandHidesAndADenialRunsNothing() throws Exception {
    Path agent =
        agent(
            List.of(
                "```python\nrun_command('touch SPOOF #' + '\\n' * 60 + 'ls -la')\n"
                    + "think("
                    + HOSTILE_PY
                    + ")\ndone("
                    + HOSTILE_PY
                    + ")\n```"),
            true);

    String output =
        Cli.runInTerminal(dir, "Allow? [y/N]", "n\n", "run", agent.toString(), "list the files");

    String shown = "⚠ permission: Execute: touch SPOOF #⟨60 × ⏎⟩ls -la";
    assertThat(output).contains(shown).contains("Allow? [y/N]").contains("✖ denied");
    assertThat(output.indexOf("Allow? [y/N]")).isGreaterThan(output.indexOf(shown));
    // Between the request and the question there is no line break that the command made.
    String between = output.substring(output.indexOf(shown), output.indexOf("Allow? [y/N]"));
    assertThat(between.chars().filter(c -> c == '\n').count()).isLessThanOrEqualTo(1);
    assertNoHostilePayload(output);
    assertThat(output).contains("␛]0;PWNED␇␛[2J⟨U+009B⟩2J⟨U+202E⟩evil");
    assertThat(dir.resolve("ws/SPOOF")).doesNotExist();
  }

  @Test
  void sessionsShowAndListPrintAStoredHostileConversationCleanly() throws Exception {
    Path sessions = dir.resolve("sessions");
    String hostile =
        "\u001b]0;PWNED\u0007\u001b[2J\u009b2J\u202eevil\u2066\u200b\u2028\u007f\bend"
            + "\r\nsecond line\rover";
    try (FileSession session = new FileSession("hostile", "Agent\u001b[2J\u202e", sessions)) {
      session.save(
          List.of(
              Message.user("[USER INPUT]\n" + hostile),
              Message.assistant("```python\nprint(1)  # " + hostile + "\n```"),
              Message.user("[EXECUTION RESULT]\n" + hostile)));
    }

    Cli.Result show =
        Cli.run(dir, "sessions", "show", "hostile", "--session-dir", sessions.toString());
    Cli.Result list = Cli.run(dir, "sessions", "list", "--session-dir", sessions.toString());
    Cli.Result json =
        Cli.run(dir, "sessions", "list", "--json", "--session-dir", sessions.toString());

    assertThat(show.exitCode()).as(show.stderr()).isZero();
    assertNoControls(show.stdout());
    assertThat(show.stdout())
        .contains("Agent␛[2J⟨U+202E⟩")
        .contains(
            "␛]0;PWNED␇␛[2J⟨U+009B⟩2J⟨U+202E⟩evil⟨U+2066⟩⟨U+200B⟩⟨U+2028⟩␡␈end\n"
                + "second line␍over")
        .contains("── ASSISTANT (2) ")
        .contains("── EXECUTION RESULT (3) ");
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    assertNoControls(list.stdout());
    assertThat(list.stdout()).contains("Agent␛[2J⟨U+202E⟩");
    assertThat(json.exitCode()).as(json.stderr()).isZero();
    assertThat(TerminalText.isClean(json.stdout().strip())).as(json.stdout()).isTrue();
    assertThat(JSON.readTree(json.stdoutLines().getFirst()).get("agent_name").asText())
        .isEqualTo("Agent\u001b[2J\u202e");
  }

  @Test
  void chatEchoesAPipedTaskAndPrintsTheReplyCleanly() throws Exception {
    Path agent = agent(List.of("```python\nthink(" + HOSTILE_PY + ")\ndone('ok')\n```"), false);

    Cli.Result result =
        Cli.runWithInput(
            dir, Map.of(), "say \u001b]0;PWNED\u0007 hi\u202e\nquit\n", "chat", agent.toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertNoControls(result.stdout());
    assertThat(result.stdout()).contains("say ␛]0;PWNED␇ hi⟨U+202E⟩").contains("💭 ␛]0;PWNED␇␛[2J");
  }

  /** An agent whose first step tries every spoof, then raises and finishes with hostile text. */
  private Path hostileAgent() throws Exception {
    StringBuilder first = new StringBuilder("```python\nthink(" + HOSTILE_PY + ")\n");
    for (String spoof : SPOOFS) {
      first.append("run_command(").append(spoof).append(")\n");
    }
    first.append("```");
    return agent(
        List.of(
            first.toString(),
            "```python\nraise ValueError(" + HOSTILE_PY + ")\n```",
            "```python\ndone(" + HOSTILE_PY + ")\n```"),
        true);
  }

  private Path agent(List<String> replies, boolean gated) throws Exception {
    return Cli.replayAgent(
        dir.resolve("agent.yaml"), "./ws", replies, gated ? Cli.RUN_COMMAND_ASKS : "");
  }

  /** Fails on any character that could drive or disguise the terminal, line breaks aside. */
  static void assertNoControls(String output) {
    for (int i = 0; i < output.length(); ) {
      int c = output.codePointAt(i);
      if (c != '\n' && c != '\t' && TerminalText.isHidden(c)) {
        int from = Math.max(0, i - 60);
        throw new AssertionError(
            String.format(
                "U+%04X at %d in: ...%s",
                c,
                i,
                TerminalText.line(output.substring(from, Math.min(output.length(), i + 60)))));
      }
      i += Character.charCount(c);
    }
  }

  /**
   * At a terminal the CLI's own colours and cursor movements are there; what the model wrote must
   * not be.
   */
  private static void assertNoHostilePayload(String output) {
    assertThat(output)
        .doesNotContain("\u001b]0;")
        .doesNotContain("\u0007")
        .doesNotContain("\u001b[2J")
        .doesNotContain("\u009b")
        .doesNotContain("\u202e")
        .doesNotContain("\u2066")
        .doesNotContain("\u200b")
        .doesNotContain("\u2028")
        .doesNotContain("\u007f");
  }
}
