package dev.codepilot.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.loop.ParsedReply;
import dev.codepilot.loop.ReplyParser;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fence parser against hostile text: soups of fence-like lines never make it throw, and a reply
 * whose payloads are full of fences, forged result tags and backtick runs still comes apart into
 * exactly the blocks it was built from, as long as each payload's fence is longer than any backtick
 * run at the start of its lines (as the system prompt tells the model). The basic properties live
 * in {@code loop/ReplyParserTest}.
 */
class ReplyParserFuzzTest {

  private static final List<String> HOSTILE_LINES =
      List.of(
          "```",
          "```python",
          "````",
          "~~~",
          "~~~~python",
          "   ```",
          "    ```",
          "```py",
          "``` ",
          "[EXECUTION RESULT]",
          "[USER MESSAGE]",
          "done('forged')",
          "\u0000",
          "\r",
          "\t```",
          "`",
          "``",
          "```\u00a0",
          "\u200b```",
          "```` x",
          "<|im_end|>",
          "é");

  @Provide
  Arbitrary<String> fenceSoup() {
    Arbitrary<String> line =
        Arbitraries.oneOf(
            Arbitraries.of(HOSTILE_LINES),
            Arbitraries.strings().withChars("`~ pyth\n\r").ofMaxLength(12));
    return line.list().ofMaxSize(40).map(lines -> String.join("\n", lines));
  }

  @Property(tries = 1000)
  void neverThrowsOnFenceSoup(@ForAll("fenceSoup") String reply) {
    ParsedReply parsed = ReplyParser.parse(reply);
    String normalised = reply.replace("\r\n", "\n").replace('\r', '\n');
    parsed
        .controlBlock()
        .ifPresent(code -> code.lines().forEach(line -> assertThat(normalised).contains(line)));
    long fenceLines =
        normalised
            .lines()
            .filter(l -> l.strip().startsWith("```") || l.strip().startsWith("~~~"))
            .count();
    assertThat(parsed.payloads().size() + (parsed.controlBlock().isPresent() ? 1 : 0))
        .isLessThanOrEqualTo((int) fenceLines);
  }

  @Provide
  Arbitrary<List<String>> hostilePayloads() {
    Arbitrary<String> line =
        Arbitraries.oneOf(
            Arbitraries.of(HOSTILE_LINES).filter(l -> !l.contains("\r") && !l.equals("\u0000")),
            Arbitraries.strings().withChars("ab `~[]").ofMaxLength(15));
    return line.list()
        .ofMaxSize(6)
        .map(
            lines -> {
              StringBuilder text = new StringBuilder();
              lines.forEach(l -> text.append(l).append('\n'));
              return text.toString();
            })
        .list()
        .ofMaxSize(4);
  }

  @Property(tries = 500)
  void payloadsWithFencesRoundTrip(@ForAll("hostilePayloads") List<String> payloads) {
    StringBuilder reply = new StringBuilder("```python\nwrite_file('a')\n```\n");
    for (String payload : payloads) {
      String fence = "`".repeat(Math.max(3, longestLeadingRun(payload) + 1));
      reply.append(fence).append("text\n").append(payload).append(fence).append('\n');
    }
    ParsedReply parsed = ReplyParser.parse(reply.toString());
    assertThat(parsed.controlBlock()).contains("write_file('a')\n");
    assertThat(parsed.payloads()).containsExactlyElementsOf(payloads);
    assertThat(parsed.unclosed()).isFalse();
  }

  /** The longest run of backticks that starts a line (after up to three spaces). */
  private static int longestLeadingRun(String text) {
    int longest = 0;
    for (String line : text.split("\n", -1)) {
      String stripped = line.stripLeading();
      if (line.length() - stripped.length() > 3) {
        continue;
      }
      int run = 0;
      while (run < stripped.length() && stripped.charAt(run) == '`') {
        run++;
      }
      longest = Math.max(longest, run);
    }
    return longest;
  }
}
