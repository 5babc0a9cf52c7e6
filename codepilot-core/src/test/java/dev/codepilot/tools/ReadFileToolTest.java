package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** read_file's numbering, ranges, truncation and errors, through a real runtime. */
class ReadFileToolTest {

  private static final int MAX_OUTPUT = 2_000;

  @TempDir static Path workDir;

  private static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    agent = Agent.in(workDir, Agent.maxOutput(MAX_OUTPUT));
    Files.writeString(workDir.resolve("small.py"), "import os\n\ndef main():\n    pass\n");
    Files.writeString(
        workDir.resolve("big.txt"),
        IntStream.rangeClosed(1, 500)
            .mapToObj(i -> "line number " + i)
            .collect(Collectors.joining("\n", "", "\n")));
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  @Test
  void returnsNumberedLinesUnderAHeader() {
    String result = agent.step("text = read_file('small.py')");

    assertThat(result)
        .isEqualTo(
            """
        'small.py' (lines 1–4 of 4)
            1 | import os
            2 |
            3 | def main():
            4 |     pass""");
  }

  @Test
  void theTextIsAlsoReturnedToPython() {
    String result =
        agent.step(
            "text = read_file('small.py', start_line=3, end_line=3)\n"
                + "print(len(text.splitlines()), repr(text.splitlines()[1]))");

    assertThat(result).startsWith("2 '    3 | def main():'\n\n'small.py' (lines 3–3 of 4)");
  }

  @Test
  void readsARangeAndClampsAnEndPastTheFile() {
    assertThat(agent.step("read_file('big.txt', start_line=10, end_line=12)"))
        .isEqualTo(
            """
        'big.txt' (lines 10–12 of 500)
           10 | line number 10
           11 | line number 11
           12 | line number 12""");
    assertThat(agent.step("read_file('big.txt', start_line=499, end_line=900)"))
        .isEqualTo(
            """
        'big.txt' (lines 499–500 of 500)
          499 | line number 499
          500 | line number 500""");
  }

  @Test
  void largeOutputIsCutWithANoteSayingWhereToReadOn() {
    String result = agent.step("read_file('big.txt')");

    assertThat(result.length()).isLessThanOrEqualTo(MAX_OUTPUT);
    assertThat(result)
        .startsWith("'big.txt' (lines 1–")
        .contains(" of 500)\n    1 | line number 1\n");
    String header = result.lines().findFirst().orElseThrow();
    int lastShown = Integer.parseInt(header.replaceAll(".*–(\\d+) of.*", "$1"));
    assertThat(result)
        .contains(String.format("%5d | line number %d\n", lastShown, lastShown))
        .doesNotContain("| line number " + (lastShown + 1) + "\n")
        .endsWith(
            "[... output limit reached: lines "
                + (lastShown + 1)
                + "–500 not shown; use"
                + " read_file('big.txt', start_line="
                + (lastShown + 1)
                + ") to read on]");
  }

  @Test
  void aHugeSingleLineIsCutButShown() throws Exception {
    Files.writeString(workDir.resolve("minified.js"), "x".repeat(50_000) + "\nend\n");
    String result = agent.step("read_file('minified.js')");

    assertThat(result.length()).isLessThanOrEqualTo(MAX_OUTPUT);
    assertThat(result)
        .startsWith("'minified.js' (lines 1–2 of 2)\n    1 | xxxx")
        .containsPattern("x \\[\\.\\.\\. \\d+ more chars on this line]\n    2 \\| end$");
  }

  @Test
  void emptyFilesAndBadRangesAndWrongKindsOfFileAreExplained() throws Exception {
    Files.writeString(workDir.resolve("empty.txt"), "");
    Files.write(workDir.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});
    Files.createDirectories(workDir.resolve("folder"));
    String result =
        agent.step(
            """
        print(read_file('empty.txt'))
        for call in [lambda: read_file('nope.txt'), lambda: read_file('folder'),
                     lambda: read_file('image.png'), lambda: read_file('small.py', start_line=9),
                     lambda: read_file('small.py', start_line=3, end_line=2),
                     lambda: read_file('small.py', start_line=0)]:
            try:
                call()
            except Exception as e:
                print(type(e).__name__ + ':', e)""");

    assertThat(result)
        .startsWith(
            """
        'empty.txt' (empty file, 0 lines)
        FileNotFoundError: No such file: 'nope.txt'
        IsADirectoryError: 'folder' is a directory, not a file; list it with run_command
        ValueError: 'image.png' is a binary file (7 bytes); read_file reads text only
        ValueError: read_file(): start_line 9 is past the end of 'small.py' (4 lines)
        ValueError: read_file(): end_line 2 is before start_line 3
        ValueError: read_file(): start_line must be 1 or more, not 0""");
  }

  @Test
  void windowsLineEndingsAreNotShown() throws Exception {
    Files.writeString(workDir.resolve("crlf.txt"), "a\r\nb\r\n");
    assertThat(agent.step("read_file('crlf.txt')"))
        .isEqualTo(
            """
        'crlf.txt' (lines 1–2 of 2)
            1 | a
            2 | b""");
  }
}
