package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.hooks.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom tools in both styles (builder and @Tool), through a real runtime. */
class CustomToolsTest {

  @TempDir static Path workDir;

  private static Agent agent;
  private static final List<Object> received = new CopyOnWriteArrayList<>();

  record Point(int x, int y) {}

  enum Color {
    RED,
    GREEN
  }

  /** A tool object as an application would write it. */
  public static class Geometry {

    @Tool("Search for places. Returns their names.")
    public List<String> webSearch(
        String query, @Param(optional = true, defaultValue = "2") int limit) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= limit; i++) {
        names.add(query + " " + i);
      }
      return names;
    }

    @Tool("Add two numbers.")
    public double add(long a, double b) {
      return a + b;
    }

    @Tool("Mirror a point.")
    public Point mirror(Point point) {
      return new Point(point.y(), point.x());
    }

    @Tool(name = "count_items", value = "Count and sum the items.")
    public Map<String, Object> countThings(
        List<Integer> items, @Param(optional = true) Map<String, Long> weights) {
      received.add(items);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("count", items.size());
      result.put("sum", items.stream().mapToInt(Integer::intValue).sum());
      result.put("weights", weights);
      return result;
    }

    @Tool("Flip a flag.")
    public Boolean toggle(boolean flag) {
      return !flag;
    }

    @Tool("Echo text, maybe.")
    public Optional<String> maybe(@Param(value = "text", optional = true) String input) {
      return Optional.ofNullable(input).map(String::toUpperCase);
    }

    @Tool("Fail with a Java exception.")
    public String explode(String why) {
      throw new IllegalStateException("boom: " + why);
    }

    @Tool("Fail with a chosen Python exception.")
    public String lookUp(String key) throws ToolException {
      throw new ToolException("KeyError", "no entry " + key);
    }

    @Tool("Report to the model without returning anything.")
    public void notifyTeam(ToolContext context, String channel, String message) {
      context.appendExecution("[notify_team] Sent to #" + channel + ": " + message);
    }

    @Tool("Name the tool being called.")
    public String whoAmI(ToolInvocation call) {
      return call.tool().name();
    }

    @Tool("Paint.")
    public String paint(Color color, Object anything) {
      return color + " " + anything;
    }

    @Tool("A static tool.")
    public static int answer() {
      return 42;
    }

    public String notATool() {
      return "hidden";
    }
  }

  @BeforeAll
  static void start() throws Exception {
    agent = Agent.in(workDir);
    agent.runtime.registerTools(new Geometry());
    agent.runtime.registerTool(
        Tools.builder("shout")
            .description("Upper-case a text and report it.")
            .param("text", PyType.STR)
            .optionalParam("times", PyType.INT, 1)
            .handler(
                call -> {
                  String text =
                      call.string("text")
                          .toUpperCase()
                          .repeat(call.optionalInteger("times").orElse(1L).intValue());
                  call.context().appendExecution("[shout] shouting");
                  Map<String, Object> shouted = new LinkedHashMap<>();
                  shouted.put("shouted", text);
                  shouted.put("parts", List.of(text.length(), true));
                  return shouted;
                })
            .build());
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  @Test
  void aToolAddedOrReplacedLaterReachesBothThePromptAndTheSandbox(@TempDir Path dir)
      throws Exception {
    try (Agent fresh = Agent.in(dir)) {
      // The prompt and the sandbox have rendered the tools before the change.
      assertThat(fresh.runtime.systemPrompt()).doesNotContain("greet(");
      assertThat(fresh.step("print('ready')")).contains("ready");

      fresh.runtime.registerTool(
          Tools.builder("greet")
              .description("Greet someone.")
              .param("name", PyType.STR)
              .handler(call -> "hi " + call.string("name"))
              .build());
      assertThat(fresh.runtime.systemPrompt()).contains("- `greet(name: str)`: Greet someone.\n");
      assertThat(fresh.step("print(greet('Ann'))")).contains("hi Ann");

      fresh.runtime.registerTool(
          Tools.builder("greet")
              .description("Greet someone warmly.")
              .param("name", PyType.STR)
              .optionalParam("times", PyType.INT, 1)
              .handler(call -> "hello " + call.string("name"))
              .build(),
          true);
      assertThat(fresh.runtime.systemPrompt())
          .contains("- `greet(name: str, times: int = 1)`: Greet someone warmly.\n")
          .doesNotContain("Greet someone.\n");
      assertThat(fresh.step("print(greet('Ann', times=2))")).contains("hello Ann");
    }
  }

  @Test
  void annotatedMethodsBecomeToolsWithPythonSignatures() {
    String prompt = agent.runtime.systemPrompt();

    assertThat(prompt)
        .contains("- `web_search(query: str, limit: int = 2)`: Search for places.")
        .contains("- `add(a: int, b: float)`: Add two numbers.")
        .contains("- `count_items(items: list, weights: dict = None)`: Count and sum the items.")
        .contains("- `notify_team(channel: str, message: str)`: Report to the model")
        .contains("- `who_am_i()`: Name the tool being called.")
        .contains("- `answer()`: A static tool.")
        .doesNotContain("not_a_tool")
        .doesNotContain("context:")
        .doesNotContain("call:");
  }

  @Test
  void valuesConvertBothWays() {
    String result =
        agent.step(
            """
        print(web_search('cafe'), web_search('bar', limit=3))
        print(add(2, 0.5), add(a=1, b=2))
        print(mirror({'x': 1, 'y': 2}))
        print(count_items([1, 2, 3], weights={'a': 5}))
        print(toggle(False), maybe(), maybe('hi'))
        print(paint('green', [1, {'k': None}]), answer())""");

    assertThat(result.lines().limit(6))
        .containsExactly(
            "['cafe 1', 'cafe 2'] ['bar 1', 'bar 2', 'bar 3']",
            "2.5 3.0",
            "{'x': 2, 'y': 1}",
            "{'count': 3, 'sum': 6, 'weights': {'a': 5}}",
            "True None HI",
            "GREEN [1, {k=null}] 42");
    assertThat(received).contains(List.of(1, 2, 3));
  }

  @Test
  void valuesThatDoNotFitAreTypeErrorsNamingToolAndParameter() {
    String result =
        agent.step(
            """
        for call in [lambda: add('1', 2), lambda: add(1.5, 2), lambda: toggle(None), lambda: toggle(1),
                     lambda: count_items(['a']), lambda: count_items('abc'), lambda: mirror([1, 2]),
                     lambda: paint('blue', 1), lambda: web_search('x', limit=10**12), lambda: add(1)]:
            try:
                call()
            except Exception as e:
                print(type(e).__name__ + ':', e)""");

    assertThat(result.lines().toList())
        .hasSize(10)
        .satisfies(
            lines -> {
              assertThat(lines.get(0)).isEqualTo("TypeError: add(): a must be int, not str");
              assertThat(lines.get(1)).isEqualTo("TypeError: add(): a must be int, not float");
              assertThat(lines.get(2))
                  .isEqualTo("TypeError: toggle(): flag must be bool, not None");
              assertThat(lines.get(3)).isEqualTo("TypeError: toggle(): flag must be bool, not int");
              assertThat(lines.get(4))
                  .startsWith("TypeError: count_items(): items does not fit List<Integer>");
              assertThat(lines.get(5))
                  .isEqualTo("TypeError: count_items(): items must be list, not str");
              assertThat(lines.get(6))
                  .isEqualTo(
                      "TypeError: mirror(): point must be a dict with the fields of Point, not list");
              assertThat(lines.get(7))
                  .isEqualTo(
                      "ValueError: paint(): color must be one of ['RED', 'GREEN'], not 'blue'");
              assertThat(lines.get(8))
                  .isEqualTo("ValueError: web_search(): limit = 1000000000000 is out of range");
              assertThat(lines.get(9))
                  .isEqualTo("TypeError: add() missing 1 required positional argument: 'b'");
            });
  }

  @Test
  void javaExceptionsBecomeCatchablePythonExceptions() {
    String result =
        agent.step(
            """
        try:
            explode('now')
        except RuntimeError as e:
            print('caught', e)
        try:
            look_up('k')
        except KeyError as e:
            print('key error', e)
        explode('uncaught')""");

    assertThat(result)
        .startsWith(
            "caught tool 'explode' failed: IllegalStateException: boom: now\n"
                + "key error 'no entry k'\n\nEXECUTION ERROR:\n")
        .contains("RuntimeError: tool 'explode' failed: IllegalStateException: boom: uncaught");
    assertThat(agent.log.of(Event.ToolResult.class))
        .extracting(Event.ToolResult::result)
        .containsExactly(
            "RuntimeError: tool 'explode' failed: IllegalStateException: boom: now",
            "KeyError: no entry k",
            "RuntimeError: tool 'explode' failed: IllegalStateException: boom: uncaught");
  }

  @Test
  void appendExecutionReportsToTheModelAndTheEvents() {
    String result =
        agent.step(
            "r = notify_team('deploys', 'v2 is out')\nprint('returned', r)\n"
                + "s = shout('hey', times=2)\nprint(s['shouted'], s['parts'])");

    assertThat(result)
        .isEqualTo(
            "returned None\nHEYHEY [6, True]\n\n"
                + "[notify_team] Sent to #deploys: v2 is out\n\n[shout] shouting\n\n"
                + "{\"shouted\":\"HEYHEY\",\"parts\":[6,true]}");
    assertThat(agent.log.of(Event.ToolCall.class))
        .extracting(Event.ToolCall::tool)
        .containsExactly("notify_team", "shout");
    assertThat(agent.log.of(Event.ToolResult.class).get(0).result())
        .isEqualTo("[notify_team] Sent to #deploys: v2 is out");
    assertThat(agent.log.of(Event.ToolResult.class).get(1).result())
        .isEqualTo("[shout] shouting\n\n{\"shouted\":\"HEYHEY\",\"parts\":[6,true]}");
  }

  @Test
  void everyCustomCallFiresToolCallBeforeAndToolResultAfter() {
    agent.step("add(1, 2)\nwho_am_i()\ntry:\n    explode('x')\nexcept RuntimeError:\n    pass");

    assertThat(agent.log.events())
        .filteredOn(e -> e instanceof Event.ToolCall || e instanceof Event.ToolResult)
        .extracting(e -> e.getClass().getSimpleName() + " " + e.fields().get("tool"))
        .containsExactly(
            "ToolCall add",
            "ToolResult add",
            "ToolCall who_am_i",
            "ToolResult who_am_i",
            "ToolCall explode",
            "ToolResult explode");
    assertThat(agent.log.of(Event.ToolResult.class))
        .extracting(Event.ToolResult::result)
        .startsWith("3.0", "who_am_i");
  }

  @Test
  void duplicateNamesAreRefusedAndNothingIsHalfRegistered() {
    assertThatThrownBy(
            () ->
                agent.runtime.registerTool(
                    Tools.builder("add").description("again").handler(c -> null).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'add' is already registered");
    assertThatThrownBy(
            () ->
                agent.runtime.registerTools(
                    new Object() {
                      @Tool("Fresh.")
                      public String fresh() {
                        return "new";
                      }

                      @Tool("Clashes with the built-in.")
                      public String readFile(String path) {
                        return "shadow";
                      }
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'read_file' is already registered");
    assertThat(agent.runtime.registry().get("fresh")).isEmpty();
    assertThatThrownBy(
            () ->
                agent.runtime.registerTool(
                    Tools.builder("done").description("no").handler(c -> null).build(), true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badToolObjectsAreRefusedWithReasons() {
    assertThatThrownBy(() -> Tools.fromObject(new Object()))
        .hasMessageContaining("has no public methods annotated with @Tool");
    assertThatThrownBy(
            () ->
                Tools.fromObject(
                    new Object() {
                      @Tool("x")
                      public String f(@Param(optional = true) String a, String b) {
                        return a + b;
                      }
                    }))
        .hasMessageContaining("required parameter 'b' comes after an optional one");
    assertThatThrownBy(
            () ->
                Tools.fromObject(
                    new Object() {
                      @Tool("x")
                      public String f(@Param(optional = true) int count) {
                        return "" + count;
                      }
                    }))
        .hasMessageContaining("a primitive cannot be None");
    assertThatThrownBy(
            () ->
                Tools.fromObject(
                    new Object() {
                      @Tool("x")
                      public String f(@Param(optional = true, defaultValue = "w") String mode) {
                        return mode;
                      }
                    }))
        .hasMessageContaining("must be JSON");
    assertThatThrownBy(
            () ->
                Tools.fromObject(
                    new Object() {
                      @Tool("x")
                      public String runIt() {
                        return "";
                      }

                      @Tool(name = "run_it", value = "y")
                      public String other() {
                        return "";
                      }
                    }))
        .hasMessageContaining("two @Tool methods named 'run_it'");
    assertThatThrownBy(
            () ->
                Tools.fromObject(
                    new Object() {
                      @Tool(name = "class", value = "x")
                      public String f() {
                        return "";
                      }
                    }))
        .hasMessageContaining("not a keyword");
  }

  @Test
  void methodNamesBecomeSnakeCase() {
    assertThat(AnnotatedTools.snakeCase("webSearch")).isEqualTo("web_search");
    assertThat(AnnotatedTools.snakeCase("getHTTPResponse")).isEqualTo("get_http_response");
    assertThat(AnnotatedTools.snakeCase("parseJson2Now")).isEqualTo("parse_json2_now");
    assertThat(AnnotatedTools.snakeCase("already_snake")).isEqualTo("already_snake");
    assertThat(AnnotatedTools.snakeCase("URL")).isEqualTo("url");
  }
}
