package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.hooks.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** write_file in every mode, through a real runtime and real files. */
class WriteFileToolTest {

  @TempDir static Path workDir;

  private static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    agent = Agent.in(workDir);
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  private static String read(String name) throws Exception {
    return Files.readString(workDir.resolve(name));
  }

  private static void file(String name, String content) throws Exception {
    Files.createDirectories(workDir.resolve(name).getParent());
    Files.writeString(workDir.resolve(name), content);
  }

  @Test
  void modeWWritesThePayloadExactlyAndCreatesFolders() throws Exception {
    String result = agent.step("write_file('pkg/sub/hello.py')", "print('hi')\nprint('there')\n");

    assertThat(read("pkg/sub/hello.py")).isEqualTo("print('hi')\nprint('there')\n");
    assertThat(result).isEqualTo("Wrote 'pkg/sub/hello.py' (27 bytes, 2 lines)");
  }

  @Test
  void modeWOverwritesAndCountsBytesNotChars() throws Exception {
    file("greek.txt", "old content that is longer\n");
    String result = agent.step("write_file('greek.txt', mode='w')", "αβγ\n");

    assertThat(read("greek.txt")).isEqualTo("αβγ\n");
    assertThat(result).isEqualTo("Wrote 'greek.txt' (7 bytes, 1 lines)");
  }

  @Test
  void modeAAppendsAndReportsTheNewLineCount() throws Exception {
    file("log.txt", "one\ntwo\n");
    String result = agent.step("write_file('log.txt', mode='a')", "three\n");

    assertThat(read("log.txt")).isEqualTo("one\ntwo\nthree\n");
    assertThat(result).isEqualTo("Appended 6 bytes to 'log.txt' (now 3 lines)");
  }

  @Test
  void modeACreatesAMissingFile() throws Exception {
    String result = agent.step("write_file('new/appended.txt', mode='a')", "first\n");

    assertThat(read("new/appended.txt")).isEqualTo("first\n");
    assertThat(result).isEqualTo("Appended 6 bytes to 'new/appended.txt' (now 1 lines)");
  }

  @Test
  void editReplacesALineRange() throws Exception {
    file("edit.py", "1\n2\n3\n4\n5\n");
    String result =
        agent.step("write_file('edit.py', start_line=2, end_line=4, mode='edit')", "two\nthree\n");

    assertThat(read("edit.py")).isEqualTo("1\ntwo\nthree\n5\n");
    assertThat(result)
        .isEqualTo(
            "Edited 'edit.py': replaced lines 2–4 (3 → 2 lines). File now has 4 lines total.");
  }

  @Test
  void editEndLineDefaultsToStartLine() throws Exception {
    file("one.py", "a\nb\nc\n");
    String result = agent.step("write_file('one.py', start_line=2, mode='edit')", "B1\nB2\n");

    assertThat(read("one.py")).isEqualTo("a\nB1\nB2\nc\n");
    assertThat(result)
        .isEqualTo(
            "Edited 'one.py': replaced lines 2–2 (1 → 2 lines). File now has 4 lines total.");
  }

  @Test
  void editWithAnEmptyPayloadDeletesTheLines() throws Exception {
    file("del.txt", "keep\ndrop\ndrop\nkeep\n");
    String result = agent.step("write_file('del.txt', start_line=2, end_line=3, mode='edit')", "");

    assertThat(read("del.txt")).isEqualTo("keep\nkeep\n");
    assertThat(result)
        .isEqualTo(
            "Edited 'del.txt': replaced lines 2–3 (2 → 0 lines). File now has 2 lines total.");
  }

  @Test
  void editOfTheLastLineWithoutNewlineKeepsTheLinesApart() throws Exception {
    file("nonl.txt", "a\nb");
    agent.step("write_file('nonl.txt', start_line=1, mode='edit')", "A\n");
    assertThat(read("nonl.txt")).isEqualTo("A\nb");

    agent.step("write_file('nonl.txt', start_line=2, mode='edit')", "B\n");
    assertThat(read("nonl.txt")).isEqualTo("A\nB\n");
  }

  @Test
  void editKeepsWindowsLineEndings() throws Exception {
    file("crlf.txt", "a\r\nb\r\nc\r\n");
    agent.step("write_file('crlf.txt', start_line=2, mode='edit')", "B\n");
    assertThat(read("crlf.txt")).isEqualTo("a\r\nB\nc\r\n");
  }

  @Test
  void insertSaysWhereTheFormerLinesMoved() throws Exception {
    file("ins.py", "1\n2\n3\n");
    String result = agent.step("write_file('ins.py', after_line=1, mode='insert')", "x\ny\n");

    assertThat(read("ins.py")).isEqualTo("1\nx\ny\n2\n3\n");
    assertThat(result)
        .isEqualTo(
            "Inserted 2 lines after line 1 in 'ins.py'; former line 2 is"
                + " now line 4. File now has 5 lines total.");
  }

  @Test
  void insertAtTheTopAndAtTheEnd() throws Exception {
    file("ends.txt", "middle");
    String top = agent.step("write_file('ends.txt', after_line=0, mode='insert')", "top\n");
    String end = agent.step("write_file('ends.txt', after_line=2, mode='insert')", "bottom\n");

    assertThat(read("ends.txt")).isEqualTo("top\nmiddle\nbottom\n");
    assertThat(top)
        .isEqualTo(
            "Inserted 1 line after line 0 in 'ends.txt'; former line 1 is now"
                + " line 2. File now has 2 lines total.");
    assertThat(end)
        .isEqualTo(
            "Inserted 1 line after line 2 in 'ends.txt' (at the end of the"
                + " file). File now has 3 lines total.");
  }

  @Test
  void eachCallTakesTheNextPayloadInOrder() throws Exception {
    String result =
        agent.step(
            "for name in ['p1.txt', 'p2.txt', 'p3.txt']:\n    write_file(name)",
            "first\n",
            "second\n",
            "third\n");

    assertThat(read("p1.txt")).isEqualTo("first\n");
    assertThat(read("p2.txt")).isEqualTo("second\n");
    assertThat(read("p3.txt")).isEqualTo("third\n");
    assertThat(result)
        .isEqualTo(
            "Wrote 'p1.txt' (6 bytes, 1 lines)\n\nWrote 'p2.txt' (7 bytes,"
                + " 1 lines)\n\nWrote 'p3.txt' (6 bytes, 1 lines)");
  }

  @Test
  void aFailedWriteStillTakesItsPayloadSoTheNextCallGetsTheRightOne() throws Exception {
    file("short.txt", "only\n");
    String result =
        agent.step(
            """
        try:
            write_file('short.txt', start_line=5, end_line=9, mode='edit')
        except ValueError as e:
            print('caught:', e)
        try:
            write_file(123)
        except TypeError as e:
            print('caught:', e)
        write_file('after-failure.txt')""",
            "meant for short.txt\n",
            "meant for 123\n",
            "meant for after-failure.txt\n");

    assertThat(read("after-failure.txt")).isEqualTo("meant for after-failure.txt\n");
    assertThat(read("short.txt")).isEqualTo("only\n");
    assertThat(result)
        .contains(
            "caught: write_file(): cannot replace lines 5–9 of 'short.txt':"
                + " it has 1 line (valid: 1 <= start_line <= end_line <= 1)");
    assertThat(result).contains("caught: write_file(): path must be str, not int");
  }

  @Test
  void badRangesNameTheLineCount() throws Exception {
    file("range.txt", "1\n2\n3\n");
    String result =
        agent.step(
            """
        for kwargs in [dict(start_line=0, mode='edit'), dict(start_line=3, end_line=2, mode='edit'),
                       dict(after_line=4, mode='insert'), dict(after_line=-1, mode='insert')]:
            try:
                write_file('range.txt', **kwargs)
            except ValueError as e:
                print(e)""",
            "x\n",
            "x\n",
            "x\n",
            "x\n");

    assertThat(result)
        .isEqualTo(
            """
        write_file(): cannot replace lines 0–0 of 'range.txt': it has 3 lines (valid: 1 <= start_line <= end_line <= 3)
        write_file(): cannot replace lines 3–2 of 'range.txt': it has 3 lines, and end_line must not be before start_line (valid: 1 <= start_line <= end_line <= 3)
        write_file(): cannot insert after line 4 of 'range.txt': it has 3 lines (valid: 0 <= after_line <= 3)
        write_file(): cannot insert after line -1 of 'range.txt': it has 3 lines (valid: 0 <= after_line <= 3)""");
    assertThat(read("range.txt")).isEqualTo("1\n2\n3\n");
  }

  @Test
  void noPayloadLeftIsAValueErrorSayingSo() {
    String result = agent.step("write_file('a.txt')\nwrite_file('b.txt')", "only one\n");

    assertThat(result)
        .startsWith("Wrote 'a.txt' (9 bytes, 1 lines)\n\nEXECUTION ERROR:")
        .contains("ValueError: write_file(): no payload block left for this call");
    assertThat(workDir.resolve("b.txt")).doesNotExist();
  }

  @Test
  void lineArgumentsWithModeWAreRefusedRatherThanOverwritingTheFile() throws Exception {
    file("keep.py", "important\n");
    String result = agent.step("write_file('keep.py', start_line=3)", "snippet\n");

    assertThat(result)
        .contains(
            "ValueError: write_file(): start_line, end_line and after_line"
                + " only apply to mode='edit' and mode='insert'");
    assertThat(read("keep.py")).isEqualTo("important\n");
  }

  @Test
  void unknownModesAndMissingFilesAreClearErrors() throws Exception {
    String result =
        agent.step(
            """
        for call in [lambda: write_file('x.txt', mode='r'),
                     lambda: write_file('missing.txt', start_line=1, mode='edit'),
                     lambda: write_file('.')]:
            try:
                call()
            except Exception as e:
                print(type(e).__name__, e)""",
            "1\n",
            "2\n",
            "3\n");

    assertThat(result)
        .isEqualTo(
            """
        ValueError write_file(): mode must be 'w', 'a', 'edit' or 'insert', not 'r'
        FileNotFoundError No such file: 'missing.txt' (mode='edit' changes an existing file; use mode='w' to create one)
        IsADirectoryError Is a directory: '.'""");
  }

  @Test
  void editRefusesAFileThatIsNotUtf8() throws Exception {
    Files.write(workDir.resolve("latin1.txt"), "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    String result = agent.step("write_file('latin1.txt', start_line=1, mode='edit')", "x\n");

    assertThat(result).contains("ValueError: 'latin1.txt' is not UTF-8 text");
    assertThat(Files.readAllBytes(workDir.resolve("latin1.txt")))
        .isEqualTo("caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void theReturnValueIsTheResultTextAndEventsReportIt() {
    String result = agent.step("r = write_file('events.txt')\nprint(r.upper())", "e\n");

    assertThat(result)
        .isEqualTo(
            "WROTE 'EVENTS.TXT' (2 BYTES, 1 LINES)\n\nWrote 'events.txt' (2 bytes, 1 lines)");
    assertThat(agent.log.of(Event.ToolCall.class))
        .singleElement()
        .satisfies(e -> assertThat(e.args()).containsEntry("path", "events.txt"));
    assertThat(agent.log.of(Event.ToolResult.class))
        .singleElement()
        .satisfies(e -> assertThat(e.result()).isEqualTo("Wrote 'events.txt' (2 bytes, 1 lines)"));
  }
}
