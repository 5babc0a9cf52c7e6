package dev.codepilot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.Test;

class PythonSyntaxTest {

  @Test
  void theKeywordListsAreThoseOfThePythonTheSandboxRuns() {
    try (Context python = Context.newBuilder("python").build()) {
      assertThat(PythonSyntax.KEYWORDS).isEqualTo(names(python, "keyword.kwlist"));
      assertThat(PythonSyntax.SOFT_KEYWORDS).isEqualTo(names(python, "keyword.softkwlist"));
    }
  }

  @Test
  void softKeywordsAreIdentifiersButNoToolMayBeNamedAfterOne() {
    for (String soft : PythonSyntax.SOFT_KEYWORDS) {
      assertThat(PythonSyntax.isIdentifier(soft)).as(soft).isTrue();
      assertThat(PythonSyntax.isKeyword(soft)).as(soft).isTrue();
      assertThat(PythonSyntax.isToolName(soft)).as(soft).isFalse();
    }
    for (String hard : PythonSyntax.KEYWORDS) {
      assertThat(PythonSyntax.isIdentifier(hard)).as(hard).isFalse();
      assertThat(PythonSyntax.isToolName(hard)).as(hard).isFalse();
    }
  }

  @Test
  void toolNamesAreAsciiIdentifiersStartingWithALetter() {
    assertThat(PythonSyntax.isToolName("fetch_url2")).isTrue();
    assertThat(PythonSyntax.isToolName("matches")).isTrue();
    assertThat(PythonSyntax.isToolName("_hidden")).isFalse();
    assertThat(PythonSyntax.isToolName("2fast")).isFalse();
    assertThat(PythonSyntax.isToolName("fetch-url")).isFalse();
    assertThat(PythonSyntax.isToolName("café")).isFalse();
    assertThat(PythonSyntax.isToolName("")).isFalse();
    assertThat(PythonSyntax.isToolName(null)).isFalse();
    assertThat(PythonSyntax.isIdentifier("_private")).isTrue();
  }

  private static Set<String> names(Context python, String list) {
    String joined = python.eval("python", "import keyword\n','.join(" + list + ")").asString();
    return Arrays.stream(joined.split(",")).collect(Collectors.toSet());
  }
}
