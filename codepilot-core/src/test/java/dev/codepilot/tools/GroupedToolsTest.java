package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.hooks.Event;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tools named {@code group.tool} (how MCP servers' tools are registered) become methods of one
 * object per group in blocks, with help() for tools and groups, and McpError bound.
 */
class GroupedToolsTest {

  @TempDir Path workDir;

  @Test
  void dottedToolsAreMethodsOfOneObjectPerGroupWithHelp() throws Exception {
    try (Agent agent = Agent.in(workDir)) {
      agent.runtime.registerTool(
          Tools.builder("calc.add")
              .description("Add two numbers.\n\n" + "Both are whole numbers.")
              .param("a", PyType.INT)
              .optionalParam("b", PyType.INT, 1)
              .handler(
                  call ->
                      ((Number) call.get("a")).longValue() + ((Number) call.get("b")).longValue())
              .build());
      agent.runtime.registerTool(
          Tools.builder("calc.neg")
              .description("Negate a number.")
              .param("a", PyType.INT)
              .handler(call -> -((Number) call.get("a")).longValue())
              .build());

      String result =
          agent.step(
              """
          print(calc.add(a=2, b=3), calc.add(4), calc.neg(a=5))
          help(calc.add)
          help(calc)
          help(read_file)
          print(isinstance(McpError("x"), Exception), calc)
          try:
              calc.add()
          except TypeError as e:
              print("TypeError:", e)
          """);

      assertThat(result)
          .contains("5 5 -5")
          .contains("calc.add(a: int, b: int = 1)\n\nAdd two numbers.\n\nBoth are whole numbers.")
          .contains("calc: tools of the MCP server calc")
          .contains("  calc.neg(a: int)\n      Negate a number.")
          .contains("read_file(path: str")
          .contains("True <calc: tools add, neg; help(calc) shows them>")
          .contains("TypeError: calc.add() missing 1 required positional argument: 'a'");
      assertThat(agent.log.of(Event.ToolCall.class))
          .extracting(Event.ToolCall::tool)
          .containsExactly("calc.add", "calc.add", "calc.neg");
      assertThat(agent.runtime.systemPrompt())
          .contains("- `calc`:\n  - add: Add two numbers.\n" + "  - neg: Negate a number.");
    }
  }

  @Test
  void aGroupWithManyToolsIsListedByNamesAloneAndStillCallableWithHelp() throws Exception {
    try (Agent agent = Agent.in(workDir)) {
      for (int i = 1; i <= 11; i++) {
        long n = i;
        agent.runtime.registerTool(
            Tools.builder("big.tool" + i)
                .description(
                    "Returns " + i + ". A long description that the prompt leaves to help().")
                .handler(call -> n)
                .build());
      }
      agent.runtime.registerTool(
          Tools.builder("small.only").description("The one tool.").handler(call -> 0).build());

      String prompt = agent.runtime.systemPrompt();
      assertThat(prompt)
          .contains(
              "- `big`: tool1, tool10, tool11, tool2, tool3, tool4, tool5, tool6, tool7,"
                  + " tool8, tool9\n")
          .contains("- `small`:\n  - only: The one tool.\n")
          .doesNotContain("Returns 1.");
      String result =
          agent.step(
              """
          help(big)
          print("sum:", big.tool3() + big.tool11())
          """);
      assertThat(result).contains("big.tool3()", "Returns 3.", "sum: 14");
    }
  }

  @Test
  void aGroupedNameMustBeTwoIdentifiers() {
    ToolRegistry registry = new ToolRegistry();
    for (String bad : new String[] {"a.b.c", ".a", "a.", "a.class", "a._b"}) {
      assertThatThrownBy(
              () ->
                  registry.register(
                      Tools.builder(bad).description("x").handler(call -> null).build()))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
