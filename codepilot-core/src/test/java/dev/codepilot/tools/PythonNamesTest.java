package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.config.AgentFile;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.config.ToolConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python forms of names and default values the model sees, and who enforces them. */
class PythonNamesTest {

  @TempDir Path dir;

  @Test
  void onlyJavaNullBecomesNoneAndStringsStayQuotedWhateverTheySay() {
    assertThat(PythonNames.literal(null)).isEqualTo("None");
    assertThat(PythonNames.literal("not null")).isEqualTo("\"not null\"");
    assertThat(PythonNames.literal(List.of("not null", "true", "false")))
        .isEqualTo("[\"not null\",\"true\",\"false\"]");
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("null", "is false");
    map.put("none", null);
    map.put("flags", List.of(true, false));
    assertThat(PythonNames.literal(map))
        .isEqualTo("{\"null\":\"is false\",\"none\":None,\"flags\":[True,False]}");
    assertThat(PythonNames.literal(Arrays.asList(1, null, 2.5))).isEqualTo("[1,None,2.5]");
    assertThat(PythonNames.literal(new boolean[] {true})).isEqualTo("[True]");
    assertThat(PythonNames.literal(new String[] {"a\"b"})).isEqualTo("[\"a\\\"b\"]");
    assertThat(PythonNames.literal(false)).isEqualTo("False");
    assertThat(PythonNames.literal(30)).isEqualTo("30");
  }

  @Test
  void aListDefaultReachesTheSignatureTheModelSeesAsWritten() {
    ToolDefinition tool =
        Tools.builder("pick")
            .description("Picks.")
            .optionalParam("words", PyType.LIST, List.of("not null", "None"))
            .handler(call -> null)
            .build();
    assertThat(tool.signature()).isEqualTo("pick(words: list = [\"not null\",\"None\"])");
  }

  @Test
  void softKeywordsAreRefusedAsToolAndParameterNamesInCodeAndInTheAgentFile() throws IOException {
    for (String name : List.of("match", "case", "type", "lambda")) {
      assertThatThrownBy(
              () ->
                  new ToolRegistry()
                      .register(Tools.builder(name).description("x").handler(call -> null).build()))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(name);
      assertThatThrownBy(() -> ToolParameter.required(name, PyType.STR))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(name);
      Path file = agentFile("  tools:\n    - name: " + name + "\n");
      assertThatThrownBy(() -> AgentFile.load(file))
          .as(name)
          .isInstanceOf(AgentFileException.class)
          .hasMessageContaining("is a Python keyword");
    }
  }

  @Test
  void theAlwaysEnabledToolsCanBeNeitherDisabledNorReplaced() throws IOException {
    assertThat(ToolConfig.ALWAYS_ENABLED).containsExactlyInAnyOrder("think", "done");
    for (String name : ToolConfig.ALWAYS_ENABLED) {
      ToolRegistry registry = new ToolRegistry();
      assertThat(registry.names()).contains(name);
      assertThatThrownBy(
              () ->
                  registry.register(
                      Tools.builder(name).description("x").handler(call -> null).build(), true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot be replaced");
      assertThatThrownBy(() -> registry.unregister(name))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot be removed");
      Path file = agentFile("  tools:\n    - name: " + name + "\n      enabled: false\n");
      assertThatThrownBy(() -> AgentFile.load(file))
          .isInstanceOf(AgentFileException.class)
          .hasMessageContaining("cannot be disabled");
    }
  }

  private Path agentFile(String tools) throws IOException {
    return Files.writeString(
        dir.resolve("agent.yaml"),
        "agent:\n  name: A\n  model: {provider: openai, name: gpt-4o}\n" + tools);
  }
}
