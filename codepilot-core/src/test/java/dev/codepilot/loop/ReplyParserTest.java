package dev.codepilot.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ReplyParserTest {

  @Test
  void firstPythonBlockIsTheControlBlockAndLaterBlocksArePayloads() {
    ParsedReply reply =
        ReplyParser.parse(
            """
        Some prose first.
        ```python
        write_file("a.txt")
        write_file("b.md")
        ```
        ```
        alpha
        ```
        ```markdown
        # beta
        ```
        """);
    assertThat(reply.controlBlock()).contains("write_file(\"a.txt\")\nwrite_file(\"b.md\")\n");
    assertThat(reply.payloads()).containsExactly("alpha\n", "# beta\n");
    assertThat(reply.unclosed()).isFalse();
  }

  @Test
  void untaggedAndPyFencesAreControlBlocks() {
    assertThat(ReplyParser.parse("```\nprint(1)\n```").controlBlock()).contains("print(1)\n");
    assertThat(ReplyParser.parse("```py\nprint(2)\n```").controlBlock()).contains("print(2)\n");
    assertThat(ReplyParser.parse("```Python \nprint(3)\n```").controlBlock())
        .contains("print(3)\n");
  }

  @Test
  void blocksInOtherLanguagesBeforeTheControlBlockAreIgnored() {
    ParsedReply reply =
        ReplyParser.parse("```bash\nls\n```\n```python\nprint(1)\n```\n```c++\nint x;\n```");
    assertThat(reply.controlBlock()).contains("print(1)\n");
    assertThat(reply.payloads()).containsExactly("int x;\n");
  }

  @Test
  void fourBacktickFencesMayContainThreeBacktickLines() {
    ParsedReply reply =
        ReplyParser.parse(
            """
        ```python
        write_file("README.md")
        ```
        ````markdown
        Run it:
        ```bash
        ./run
        ```
        ````
        """);
    assertThat(reply.payloads()).containsExactly("Run it:\n```bash\n./run\n```\n");
  }

  @Test
  void aClosingFenceMustBeAtLeastAsLongAndHaveNoInfoString() {
    ParsedReply reply = ReplyParser.parse("```python\nx = 1\n```python\ny = 2\n```");
    assertThat(reply.controlBlock()).contains("x = 1\n```python\ny = 2\n");
  }

  @Test
  void aReplyWithoutBlocksHasNoControlBlock() {
    ParsedReply reply = ReplyParser.parse("Just talking. `inline` code is not a block.");
    assertThat(reply.controlBlock()).isEmpty();
    assertThat(reply.payloads()).isEmpty();
  }

  @Test
  void anUnclosedFinalFenceIsFlagged() {
    assertThat(ReplyParser.parse("```python\nprint('cut").unclosed()).isTrue();
    assertThat(ReplyParser.parse("```python\nwrite_file('a')\n```\n```\npartial").unclosed())
        .isTrue();
  }

  @Test
  void contentKeepsItsFinalNewlineAndEmptyPayloadsAreEmpty() {
    ParsedReply reply = ReplyParser.parse("```python\nw()\n```\n```\n```\n```\n\n```");
    assertThat(reply.payloads()).containsExactly("", "\n");
  }

  @Test
  void indentedFencesAreRecognisedAndTheirIndentRemoved() {
    ParsedReply reply = ReplyParser.parse("  ```python\n  print(1)\n    print(2)\n  ```");
    assertThat(reply.controlBlock()).contains("print(1)\n  print(2)\n");
  }

  @Test
  void windowsLineEndingsAreNormalised() {
    assertThat(ReplyParser.parse("```python\r\nprint(1)\r\n```\r\n").controlBlock())
        .contains("print(1)\n");
  }

  @Property(tries = 500)
  void neverThrowsOnArbitraryText(@ForAll String text) {
    ReplyParser.parse(text);
  }

  @Property(tries = 300)
  void roundTripsGeneratedReplies(
      @ForAll("controls") String control, @ForAll("payloadLists") List<String> payloads) {
    StringBuilder reply = new StringBuilder("```python\n").append(control).append("```\n");
    for (String payload : payloads) {
      reply.append("````text\n").append(payload).append("````\n");
    }
    ParsedReply parsed = ReplyParser.parse(reply.toString());
    assertThat(parsed.controlBlock()).contains(control);
    assertThat(parsed.payloads()).containsExactlyElementsOf(payloads);
    assertThat(parsed.unclosed()).isFalse();
  }

  @Provide
  Arbitrary<String> controls() {
    return lines(Arbitraries.strings().withChars("abc =()'\"#:_x1").ofMaxLength(20));
  }

  @Provide
  Arbitrary<List<String>> payloadLists() {
    Arbitrary<String> line =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("ab c{}<>\t-").ofMaxLength(30),
            Arbitraries.of("```", "```bash", "~~~", "   ```", "`` x ``"));
    return lines(line).list().ofMaxSize(4);
  }

  private static Arbitrary<String> lines(Arbitrary<String> line) {
    return line.list()
        .ofMaxSize(6)
        .map(
            list -> {
              StringBuilder text = new StringBuilder();
              list.forEach(l -> text.append(l).append('\n'));
              return text.toString();
            });
  }
}
