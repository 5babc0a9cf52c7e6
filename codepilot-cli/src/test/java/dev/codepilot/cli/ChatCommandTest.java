package dev.codepilot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code codepilot chat}: piped, file-backed across restarts, and typed at a real terminal. */
class ChatCommandTest {

  @TempDir Path dir;

  @Test
  void theSecondTaskBuildsOnTheFirstInOneChat() throws Exception {
    Path agent = Cli.copyExample("multi-turn", dir.resolve("multi-turn"));
    Cli.Result result =
        Cli.runWithInput(
            dir,
            Map.of(),
            """
        Create a todo script that can add items
        Add a list command that numbers the items
        quit
        """,
            "chat",
            agent.resolve("agent.yaml").toString());

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .contains("you › Create a todo script that can add items")
        .contains("Done: Created todo.sh")
        .contains("you › Add a list command that numbers the items")
        .contains("Adding a list command to todo.sh, which the first task wrote")
        .contains("1. buy milk")
        .contains("Done: Added 'sh todo.sh list'")
        .endsWith("Goodbye.\n");
    assertThat(agent.resolve("workspace/todo.sh")).content().contains("add)").contains("list)");
  }

  @Test
  void aSessionIdKeepsTheChatInAFileThatTheNextChatResumes() throws Exception {
    Path agent = Cli.copyExample("hello", dir.resolve("hello")).resolve("agent.yaml");
    String sessions = dir.resolve("sessions").toString();
    Cli.Result first =
        Cli.runWithInput(
            dir,
            Map.of(),
            "Greet\n",
            "chat",
            agent.toString(),
            "--session-id",
            "demo",
            "--session-dir",
            sessions);

    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(first.stdout())
        .contains("Starting new session 'demo'")
        .contains("Done: Created hello.sh")
        .contains("Session 'demo' saved. Goodbye.");

    Cli.Result second =
        Cli.runWithInput(
            dir,
            Map.of(),
            "reset\nexit\n",
            "chat",
            agent.toString(),
            "--session-id",
            "demo",
            "--session-dir",
            sessions);
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(second.stdout())
        .contains("Resuming session 'demo' (3 messages)")
        .contains("History cleared. Starting fresh.");
    assertThat(Path.of(sessions, "demo.json")).doesNotExist();
  }

  @Test
  void atATerminalATaskRunsThenResetAndQuitEndTheChat() throws Exception {
    assumeTrue(hasTmux(), "tmux is not installed");
    Path agent = Cli.copyExample("hello", dir.resolve("hello")).resolve("agent.yaml");
    Path exit = dir.resolve("exit-code");
    String command =
        Cli.command(dir, "chat", agent.toString()).stream()
            .map(ChatCommandTest::shellQuote)
            .collect(Collectors.joining(" "));
    String socket = "codepilot-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    tmux(
        socket,
        "new-session",
        "-d",
        "-x",
        "200",
        "-y",
        "50",
        "-c",
        dir.toString(),
        "env LANG=C.UTF-8 "
            + command
            + "; echo $? > "
            + shellQuote(exit.toString())
            + "; sleep 60");
    try {
      awaitScreen(socket, "the prompt", screen -> screen.contains("you ›"));
      tmux(socket, "send-keys", "Write a greeting script", "Enter");
      awaitScreen(
          socket,
          "the run to end",
          screen -> screen.contains("finished · 1 step") && count(screen, "you ›") >= 2);
      String screen = capture(socket);
      assertThat(screen)
          .contains("step 1/5")
          .contains("Writing hello.sh and running it")
          .contains("Hello from CodePilot!")
          .contains("Done: Created hello.sh");

      tmux(socket, "send-keys", "reset", "Enter");
      awaitScreen(socket, "the reset", s -> s.contains("History cleared. Starting fresh."));
      // Ctrl-C at the prompt clears the line instead of running it or leaving.
      tmux(socket, "send-keys", "not a task");
      tmux(socket, "send-keys", "C-c");
      tmux(socket, "send-keys", "quit", "Enter");
      Cli.awaitTrue(
          Duration.ofSeconds(60),
          "the chat to exit",
          () -> Files.exists(exit) && !Files.readString(exit).isBlank());

      assertThat(Files.readString(exit).strip()).isEqualTo("0");
      assertThat(capture(socket))
          .contains("Goodbye.")
          .doesNotContain("not a taskquit")
          .doesNotContain("cassette exhausted");
      assertThat(dir.resolve("home/.codepilot/history"))
          .content()
          .contains("Write a greeting script");
    } finally {
      new ProcessBuilder("tmux", "-L", socket, "kill-server").start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitScreen(
      String socket, String what, java.util.function.Predicate<String> test) throws Exception {
    try {
      Cli.awaitTrue(Duration.ofSeconds(120), what, () -> test.test(capture(socket)));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the screen:\n" + capture(socket), e);
    }
  }

  private static int count(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  private static String capture(String socket) throws IOException, InterruptedException {
    return tmux(socket, "capture-pane", "-p", "-J", "-S", "-100");
  }

  private static String tmux(String socket, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + output);
    }
    return output;
  }

  private static boolean hasTmux() {
    try {
      return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String shellQuote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
