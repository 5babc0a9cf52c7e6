package dev.codepilot.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default console handlers and the terminal prompt with a hostile model: nothing it writes
 * drives the terminal, no line of it poses as a line of its own, and the prompt shows the whole of
 * what it asks for.
 */
class ConsoleOutputTest {

  private static final long TIMEOUT_SECONDS = 240;

  @TempDir Path dir;

  @Test
  void theDefaultHandlersPrintHostileTextVisiblyAndIndentItsLines() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    QueueModel model =
        new QueueModel()
            .reply(
                TestAgents.block(
                    "think("
                        + PromptChild.HOSTILE
                        + " + '\\n⚠️ [run_command] Execute: ls')\n"
                        + "print("
                        + PromptChild.HOSTILE
                        + ")\n"
                        + "ask_user('Which?\\x1b[2J\\n✅ Done: fake')\n"
                        + "raise ValueError("
                        + PromptChild.HOSTILE
                        + ")"),
                TestAgents.block("done(" + PromptChild.HOSTILE + " + '\\r\\nsecond')"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(dir))
            .model(model)
            .consoleOutput(new PrintStream(console, true, StandardCharsets.UTF_8))
            .build()) {
      runtime.run("go");
    }
    String out = console.toString(StandardCharsets.UTF_8);

    assertNoControls(out);
    assertThat(out)
        .contains(
            "💭 ␛]0;PWNED␇␛[2J⟨U+009B⟩2J⟨U+202E⟩evil⟨U+200B⟩␈end\n"
                + "     ⚠️ [run_command] Execute: ls")
        .contains("❓ Which?␛[2J\n     ✅ Done: fake")
        .contains("ValueError: ␛]0;PWNED␇")
        .contains("✅ Done: ␛]0;PWNED␇␛[2J⟨U+009B⟩2J⟨U+202E⟩evil⟨U+200B⟩␈end\n     second");
    // Only the handlers' own signs start a line; the model's further lines are indented.
    for (String line : out.lines().toList()) {
      assertThat(line).as(out).matches("(💭|⚙️|   ↳|❓|🛡️|❌|✅|⚠️| {5}).*");
    }
  }

  @Test
  void atATerminalThePromptShowsTheHiddenStartOfACommand() throws Exception {
    String output = runAtTerminal("Approve? [y/N]", "n\n");

    String shown = "⚠️ [run_command] Execute: touch SPOOF #⟨60 × ⏎⟩ls -la";
    assertThat(output).contains(shown).contains("Approve? [y/N]");
    String between = output.substring(output.indexOf(shown), output.indexOf("Approve? [y/N]"));
    assertThat(between).isEqualTo(shown + "\n");
    assertThat(output)
        .contains("Permission denied: Execute: touch SPOOF #")
        .contains("💭 ␛]0;PWNED␇␛[2J⟨U+009B⟩2J⟨U+202E⟩evil");
    assertNoControls(output);
    assertThat(dir.resolve("SPOOF")).doesNotExist();
  }

  /**
   * Runs {@link PromptChild} in a pseudo-terminal made by script(1), types {@code answer} when
   * {@code prompt} shows, and returns what the terminal showed, its CR LF as LF.
   */
  private String runAtTerminal(String prompt, String answer) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "-cp",
                System.getProperty("java.class.path"),
                PromptChild.class.getName(),
                dir.toString()));
    StringBuilder shell = new StringBuilder("stty cols 120 rows 40; exec");
    for (String part : command) {
      shell.append(" '").append(part.replace("'", "'\\''")).append('\'');
    }
    Path out = Files.createTempFile(dir, "tty", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder("script", "-qfec", shell.toString(), "/dev/null")
            .redirectOutput(out.toFile())
            .redirectErrorStream(true);
    builder.environment().put("TERM", "xterm-256color");
    Process process = builder.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (!shown(out).contains(prompt) && process.isAlive()) {
        assertThat(System.nanoTime())
            .as("'%s' on the terminal; it showed:%n%s", prompt, shown(out))
            .isLessThan(deadline);
        Thread.sleep(100);
      }
      process.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as(shown(out)).isTrue();
      return shown(out).replace("\r\n", "\n");
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  private static String shown(Path file) throws Exception {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  private static void assertNoControls(String output) {
    for (int i = 0; i < output.length(); ) {
      int c = output.codePointAt(i);
      if (c != '\n' && TerminalText.isHidden(c)) {
        throw new AssertionError(
            String.format(
                "U+%04X at %d in: %s",
                c,
                i,
                TerminalText.line(
                    output.substring(Math.max(0, i - 80), Math.min(output.length(), i + 80)))));
      }
      i += Character.charCount(c);
    }
  }
}
