package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands at a terminal through the daemon, on a real pseudo-terminal: the client hands the
 * keystrokes over as typed and the daemon's terminal does what the kernel's would, so the live
 * view, questions, line editing in chat and Ctrl-C behave as in-process, and the terminal is left
 * as it was found.
 */
class DaemonTerminalTest {

  // One working folder, so that one daemon serves every test (its key includes the folder).
  @TempDir static Path dir;

  private static Daemons daemons;

  @BeforeAll
  static void folder() {
    daemons = new Daemons(dir, dir.resolve("d"));
  }

  @AfterAll
  static void stopDaemons() throws Exception {
    daemons.close();
  }

  @Test
  void aRunAtATerminalShowsWhatItShowsInProcessAndLeavesTheTerminalAsItWas() throws Exception {
    Path agent = Cli.copyExample("hello", dir.resolve("hello")).resolve("agent.yaml");
    String[] args = {"run", agent.toString(), "Write a greeting script and run it"};

    Cli.Result relayed = atTerminal(daemons.terminalCommand(args));
    Cli.Result inProcess;
    try (Cli.AtTerminal terminal = Cli.AtTerminal.start(dir, Map.of(), Cli.command(dir, args))) {
      inProcess = terminal.finish();
    }

    for (Cli.Result result : List.of(relayed, inProcess)) {
      assertThat(result.exitCode()).as(result.stdout()).isZero();
      assertThat(result.stdout())
          .contains("write_file")
          .contains("Hello from CodePilot!")
          .contains("✔ Done: Created hello.sh")
          .contains("finished · 1 step");
    }
    assertThat(daemons.statuses()).as("served by a daemon").hasSize(1);
  }

  @Test
  void aQuestionIsAskedAndAnsweredAtTheTerminal() throws Exception {
    Path agent =
        agent(
            "question", List.of("```python\nrun_command('touch APPROVED')\ndone('ok')\n```"), true);

    try (Cli.AtTerminal terminal =
        Cli.AtTerminal.start(
            dir, daemons.env(), daemons.terminalCommand("run", agent.toString(), "touch it"))) {
      terminal.await("Allow? [y/N]");
      // Enter sends a carriage return; the daemon's terminal reads it as the end of the line.
      terminal.type("y\r");
      Cli.Result result = terminal.finish();

      assertThat(result.exitCode()).as(result.stdout()).isZero();
      assertThat(result.stdout()).contains("✔ approved").contains("Done: ok");
      assertThat(terminal.settingsRestored()).isTrue();
    }
    assertThat(dir.resolve("ws-question/APPROVED")).exists();
    assertThat(daemons.statuses()).hasSize(1);
  }

  @Test
  void withJsonLinesTheQuestionIsStillAskedAtTheTerminal() throws Exception {
    Path agent =
        agent("json", List.of("```python\nrun_command('touch APPROVED')\ndone('ok')\n```"), true);

    try (Cli.AtTerminal terminal =
        Cli.AtTerminal.start(
            dir,
            daemons.env(),
            daemons.terminalCommand("run", agent.toString(), "touch it", "--json"))) {
      terminal.await("Allow? [y/N]");
      terminal.type("y\r");
      Cli.Result result = terminal.finish();

      assertThat(result.exitCode()).as(result.stdout()).isZero();
      assertThat(result.stdout()).contains("\"permission_request\"").contains("\"finish\"");
      assertThat(terminal.settingsRestored()).isTrue();
    }
    assertThat(dir.resolve("ws-json/APPROVED")).exists();
  }

  @Test
  void chatEditsLinesAtTheTerminalAndEndsOnCtrlD() throws Exception {
    Path agent = agent("chat", List.of("```python\ndone('Hello there')\n```"), false);

    try (Cli.AtTerminal terminal =
        Cli.AtTerminal.start(
            dir, daemons.env(), daemons.terminalCommand("chat", agent.toString()))) {
      terminal.await("you ›");
      terminal.type("Greet");
      terminal.await("Greet");
      Thread.sleep(500);
      // Echoed once, by the daemon's terminal: the client's own echo is off.
      assertThat(terminal.shown().split("Greet", -1)).hasSize(2);
      // A typo, erased with Backspace, then Enter.
      terminal.type("x\u007f\r");
      terminal.await("Done: Hello there");
      terminal.type("\u0004");
      Cli.Result result = terminal.finish();

      assertThat(result.exitCode()).as(result.stdout()).isZero();
      assertThat(terminal.settingsRestored()).isTrue();
    }
    // The history keeps the line as edited.
    assertThat(Files.readString(dir.resolve("home/.codepilot/history")))
        .contains("Greet")
        .doesNotContain("Greetx");
  }

  @Test
  void withOnlyItsInputAtATerminalChatReadsLinesUntilCtrlD() throws Exception {
    Path agent = agent("lines", List.of("```python\ndone('Hello there')\n```"), false);
    Path out = dir.resolve("lines.txt");
    String shell =
        "exec "
            + Cli.shellWords(daemons.commandWithTtys("101", "chat", agent.toString()))
            + " > "
            + Cli.shellWords(List.of(out.toString()));

    try (Cli.AtTerminal terminal =
        Cli.AtTerminal.start(dir, daemons.env(), List.of("/bin/sh", "-c", shell))) {
      // The terminal keeps its own line editing: a line goes when Enter is pressed, and Ctrl-D at
      // the start of a line ends the input.
      terminal.type("Greet\n");
      Cli.awaitTrue(
          java.time.Duration.ofSeconds(60),
          "the task's answer",
          () -> Files.exists(out) && Files.readString(out).contains("Done: Hello there"));
      terminal.type("\u0004");
      Cli.Result result = terminal.finish();

      assertThat(result.exitCode()).as(Files.readString(out)).isZero();
    }
  }

  @Test
  void aDumbTerminalIsNotRelayedAndChatReadsPlainLinesAsInProcess() throws Exception {
    Path agent = agent("dumb", List.of("```python\ndone('Hello there')\n```"), false);
    Map<String, String> env = new java.util.HashMap<>(daemons.env());
    env.put("TERM", "dumb");
    // Colour allowed: it would show if the command took the terminal for a real one.
    env.put("NO_COLOR", "");

    try (Cli.AtTerminal terminal =
        Cli.AtTerminal.start(dir, env, daemons.terminalCommand("chat", agent.toString()))) {
      terminal.type("Greet\n");
      terminal.await("Done: Hello there");
      terminal.type("\u0004");
      Cli.Result result = terminal.finish();

      assertThat(result.exitCode()).as(result.stdout()).isZero();
      // Plain output, as in-process with TERM=dumb: the task echoed after its prompt, no colour.
      assertThat(result.stdout()).contains("you › Greet").doesNotContain("\u001b[");
      assertThat(terminal.settingsRestored()).isTrue();
    }
  }

  @Test
  void ctrlCAtTheTerminalStopsTheRunAfterItsStep() throws Exception {
    Path agent =
        agent(
            "interrupt",
            List.of(
                "```python\nrun_command('sleep 3')\nprint('step one ended')\n```",
                "```python\ndone('should not be reached')\n```"),
            false);

    try (Cli.AtTerminal terminal =
        Cli.AtTerminal.start(
            dir, daemons.env(), daemons.terminalCommand("run", agent.toString(), "go"))) {
      terminal.await("run_command");
      terminal.type("\u0003");
      Cli.Result result = terminal.finish();

      // What RunInterruptTest pins in-process: the step ends, the next one never starts.
      assertThat(result.exitCode()).as(result.stdout()).isEqualTo(1);
      assertThat(result.stdout())
          .contains("Stopping after this step")
          .contains("step one ended")
          .doesNotContain("should not be reached");
      assertThat(terminal.settingsRestored()).isTrue();
    }
    assertThat(daemons.statuses()).as("the daemon lives on").hasSize(1);
  }

  @Test
  void aResizedTerminalIsSeenByTheCommand() throws Exception {
    Path agent =
        agent(
            "resize",
            List.of("```python\nx = '" + "A".repeat(100) + "'\ndone('printed')\n```"),
            false);
    // The terminal is made narrower while chat waits at its prompt, as a window is resized (a
    // background job's standard input is not the terminal, so stty is given it).
    String shell =
        "(while [ ! -f go ]; do sleep 0.1; done; stty cols 50 rows 20 < /dev/tty; touch resized)"
            + " & exec "
            + Cli.shellWords(daemons.terminalCommand("chat", agent.toString()));

    try (Cli.AtTerminal terminal =
        Cli.AtTerminal.start(dir, daemons.env(), List.of("/bin/sh", "-c", shell))) {
      terminal.await("you ›");
      Files.writeString(dir.resolve("go"), "");
      Cli.awaitTrue(
          java.time.Duration.ofSeconds(30),
          "the terminal to be resized",
          () -> Files.exists(dir.resolve("resized")));
      Thread.sleep(500);
      terminal.type("Print\r");
      terminal.await("Done: printed");
      terminal.type("\u0004");
      Cli.Result result = terminal.finish();

      assertThat(result.exitCode()).as(result.stdout()).isZero();
      // The block's lines are cut to the terminal's width: 50 columns now, not the 120 it began
      // with, where the whole line would have fitted.
      assertThat(result.stdout()).contains("A".repeat(30)).doesNotContain("A".repeat(50));
    }
  }

  private Cli.Result atTerminal(List<String> command) throws Exception {
    try (Cli.AtTerminal terminal = Cli.AtTerminal.start(dir, daemons.env(), command)) {
      Cli.Result result = terminal.finish();
      assertThat(terminal.settingsRestored()).as("the terminal's settings").isTrue();
      return result;
    }
  }

  /** An agent {@code name} on a replay cassette, with its own workspace {@code ws-NAME}. */
  private static Path agent(String name, List<String> replies, boolean gated) throws Exception {
    return Cli.replayAgent(
        dir.resolve(name + ".yaml"), "./ws-" + name, replies, gated ? Cli.RUN_COMMAND_ASKS : "");
  }
}
