package dev.codepilot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one cleaner for terminal text: every kind of character that can drive or disguise it. */
class TerminalTextTest {

  /** One of each kind a terminal obeys or that hides or reorders text. */
  static List<Integer> hostile() {
    List<Integer> all = new ArrayList<>();
    IntStream.range(0, 0x20).forEach(all::add); // C0: ESC, BEL, BS, CR, LF, TAB, NUL...
    all.add(0x7f); // DEL
    IntStream.rangeClosed(0x80, 0x9f).forEach(all::add); // C1, with the 8-bit CSI U+009B
    all.addAll(List.of(0x200e, 0x200f, 0x061c)); // bidi marks
    IntStream.rangeClosed(0x202a, 0x202e).forEach(all::add); // embeddings and overrides
    IntStream.rangeClosed(0x2066, 0x2069).forEach(all::add); // isolates
    all.addAll(List.of(0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x180e)); // zero-width
    all.addAll(List.of(0x2028, 0x2029)); // line and paragraph separators
    all.addAll(List.of(0xe0001, 0xe0041, 0xe007f)); // tag characters (invisible ASCII)
    all.addAll(List.of(0x3164, 0x115f, 0xffa0, 0x034f)); // drawn as nothing
    all.addAll(List.of(0xfff9, 0xfffb)); // interlinear annotation
    return all;
  }

  @ParameterizedTest(name = "U+{0}")
  @MethodSource("hostile")
  void everyHostileCharacterIsShownBySignAndNeverPassedThrough(int codePoint) {
    String text = "a" + Character.toString(codePoint) + "b";

    assertThat(TerminalText.isHidden(codePoint)).isTrue();
    String line = TerminalText.line(text);
    assertThat(TerminalText.isClean(line)).as(line).isTrue();
    assertThat(line).isEqualTo("a" + TerminalText.sign(codePoint) + "b");
    assertThat(TerminalText.isClean(TerminalText.prompt(text))).isTrue();
    String block = TerminalText.block(text);
    assertThat(
            block
                .codePoints()
                .filter(c -> c != '\n' && c != '\t')
                .noneMatch(TerminalText::isHidden))
        .as(block)
        .isTrue();
  }

  @Test
  void signsAreReadable() {
    assertThat(TerminalText.line("\u001b[2J\u001b]0;owned\u0007")).isEqualTo("␛[2J␛]0;owned␇");
    assertThat(TerminalText.line("a\nb\tc\rd\be\u007f")).isEqualTo("a⏎b␉c␍d␈e␡");
    assertThat(TerminalText.line("\u009b2J")).isEqualTo("⟨U+009B⟩2J");
    assertThat(TerminalText.line("file\u202Etxt.exe")).isEqualTo("file⟨U+202E⟩txt.exe");
    assertThat(TerminalText.line("tag\uDB40\uDC41")).isEqualTo("tag⟨U+E0041⟩");
    assertThat(TerminalText.line("half\uD800")).isEqualTo("half⟨U+D800⟩");
  }

  @Test
  void noCodePointAtAllPassesThroughHidden() {
    StringBuilder every = new StringBuilder();
    for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
      every.appendCodePoint(c);
    }
    assertThat(TerminalText.isClean(TerminalText.line(every.toString()))).isTrue();
    String block = TerminalText.block(every.toString());
    assertThat(
            block
                .codePoints()
                .filter(c -> c != '\n' && c != '\t')
                .noneMatch(TerminalText::isHidden))
        .isTrue();
  }

  @Test
  void ordinaryTextOfAnyScriptAndEmojiIsLeftAlone() {
    for (String text :
        List.of(
            "ls -la ~/src",
            "café naïve",
            "日本語のテキスト",
            "مرحبا بالعالم",
            "שלום",
            "⚠️ 👍🏽 ✅",
            "a\u00a0b",
            "x = {\"k\": [1, 2]}",
            "")) {
      assertThat(TerminalText.line(text)).isEqualTo(text);
      assertThat(TerminalText.block(text)).isEqualTo(text);
      assertThat(TerminalText.prompt(text)).isEqualTo(text);
    }
  }

  @Test
  void aBlockKeepsItsLinesAndTabsButNoCarriageReturn() {
    assertThat(TerminalText.block("one\r\ntwo\tcols\nthree\rover"))
        .isEqualTo("one\ntwo\tcols\nthree␍over");
    assertThat(TerminalText.block("first\nsecond\n\n", "   ")).isEqualTo("first\n   second");
  }

  @Test
  void aPromptShowsALongRunOfLineBreaksAsACountSoItsStartStaysInSight() {
    String spoof = "Execute: touch X #" + "\n".repeat(60) + "ls -la";

    assertThat(TerminalText.prompt(spoof)).isEqualTo("Execute: touch X #⟨60 × ⏎⟩ls -la");
    assertThat(TerminalText.prompt("rm -rf ~" + " ".repeat(3000) + "ls"))
        .isEqualTo("rm -rf ~⟨3000 × ␠⟩ls");
    assertThat(TerminalText.prompt("a\r\r\r\r\r\r\r\r\rb")).isEqualTo("a⟨9 × ␍⟩b");
    assertThat(TerminalText.prompt("a\u202e".repeat(3) + "b"))
        .isEqualTo("a⟨U+202E⟩a⟨U+202E⟩a⟨U+202E⟩b");
    // Short runs stay as they are; so do runs of ordinary characters.
    assertThat(TerminalText.prompt("a\n\nb    c")).isEqualTo("a⏎⏎b    c");
    assertThat(TerminalText.prompt("=".repeat(40))).isEqualTo("=".repeat(40));
  }

  @Test
  void aVeryLongPromptKeepsItsStartAndEndAndCountsWhatItLeavesOut() {
    StringBuilder text = new StringBuilder("touch STARTMARK; ");
    for (int i = 0; i < 500; i++) {
      text.append("echo line").append(i).append('\n');
    }
    text.append("ls ENDMARK");

    String shown = TerminalText.prompt(text.toString(), 300);

    assertThat(shown)
        .startsWith("touch STARTMARK; echo line0⏎")
        .endsWith("ls ENDMARK")
        .doesNotContain("\n")
        .containsPattern("⟨… [0-9,]+ characters \\([0-9,]+ line breaks\\)" + " not shown …⟩");
    assertThat(shown.length()).isLessThan(360);
    String count = shown.replaceAll("(?s).*⟨… ([0-9,]+) characters.*", "$1").replace(",", "");
    String head = shown.substring(0, shown.indexOf(" ⟨… "));
    String tail = shown.substring(shown.indexOf("not shown …⟩ ") + "not shown …⟩ ".length());
    int shownSource = head.replace("⏎", "\n").length() + tail.replace("⏎", "\n").length();
    assertThat(Integer.parseInt(count) + shownSource).isEqualTo(text.length());
    assertThat(TerminalText.prompt(text.toString())).contains("STARTMARK").contains("ENDMARK");
  }

  @Test
  void jsonEscapesWhatWouldDriveOrDisguiseATerminalAndMeansTheSame() throws Exception {
    String hostile =
        "\u001b]0;title\u0007\u009b2J\u202eevil\u2066\u200b\u2028\u007f" + "\uDB40\uDC41 ok é 👍";
    String json = TerminalText.json(Map.of("text", hostile));

    assertThat(TerminalText.isClean(json)).as(json).isTrue();
    assertThat(json)
        .containsIgnoringCase("\\u001b")
        .contains("\\u009B")
        .contains("\\u202E")
        .contains("\\u007F")
        .contains("\\uDB40\\uDC41")
        .contains("ok é 👍");
    JsonNode back = Json.mapper().readTree(json);
    assertThat(back.get("text").asText()).isEqualTo(hostile);
  }
}
