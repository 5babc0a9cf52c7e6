package dev.codepilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.testing.FixedContext;
import dev.codepilot.tools.PyType;
import dev.codepilot.tools.ToolDefinition;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolRegistry;
import dev.codepilot.tools.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks one after another in one sandbox: what one block printed never shows in the next, and tool
 * calls hand over exactly the arguments given, as plain data, or fail naming the argument.
 */
class SandboxBlocksTest {

  @TempDir static Path workDir;

  private static PythonSandbox sandbox;
  private static ToolRegistry registry;
  private static List<ToolDefinition> tools;

  @BeforeAll
  static void start() {
    registry = new ToolRegistry();
    // Answers with the arguments it got, sorted by name, so a test sees exactly what crossed.
    registry.registerAll(
        List.of(
            Tools.builder("show")
                .description("Show the arguments.")
                .param("value", PyType.ANY)
                .optionalParam("label", PyType.STR, null)
                .optionalParam("count", PyType.INT, 1)
                .handler(invocation -> new TreeMap<>(invocation.args()).toString())
                .build()),
        false);
    tools = registry.tools();
    sandbox = new PythonSandbox(RuntimeConfig.DEFAULT_ALLOWED_IMPORTS, Duration.ofSeconds(30), 50);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static ExecutionResult run(String code) {
    return sandbox.execute(
        code,
        tools,
        new ToolDispatcher(registry, new FixedContext(workDir), Collections.emptyIterator()));
  }

  @Test
  void eachBlockGetsOnlyItsOwnOutput() {
    assertThat(run("print('first')").output()).isEqualTo("first\n");
    assertThat(run("x = 1").output()).isEmpty();
    // Past the limit of 50 characters: head, a note of what was cut, tail.
    String cut = run("for i in range(40):\n    print('line', i)").output();
    assertThat(cut)
        .startsWith("line 0\nline 1\n")
        .contains("chars truncated")
        .endsWith("line 39\n");
    assertThat(run("print('after')").output()).isEqualTo("after\n");
    ExecutionResult failed = run("print('before the error')\n1 / 0");
    assertThat(failed.status()).isEqualTo(ExecutionResult.Status.ERROR);
    assertThat(failed.output()).isEqualTo("before the error\n");
    assertThat(failed.error()).contains("ZeroDivisionError").contains("1 / 0");
    assertThat(run("print('clean')").output()).isEqualTo("clean\n");
  }

  @Test
  void argumentsCrossAsGivenAndLeftOutOnesStayOut() {
    assertThat(run("print(show('a'))").output()).isEqualTo("{value=a}\n");
    assertThat(run("print(show([1, (2, 3)], count=4))").output())
        .isEqualTo("{count=4, value=[1, [2, 3]]}\n");
    assertThat(run("print(show({'k': None}, 'lbl', 2))").output())
        .isEqualTo("{count=2, label=lbl, value={k=null}}\n");
    assertThat(run("print(show(value=True, label=None))").output())
        .isEqualTo("{label=null, value=true}\n");
  }

  @Test
  void argumentsThatAreNotPlainDataAreRefusedByName() {
    assertThat(run("show({1, 2})").error())
        .contains(
            "TypeError: show() argument 'value' must be"
                + " plain data (str, int, float, bool, None, list, dict), not set");
    assertThat(run("show('a', label=['x', object()])").error())
        .contains("TypeError: show() argument 'label' must be plain data")
        .contains("not object");
    assertThat(run("show({1: 'x'})").error())
        .contains("TypeError: show() argument 'value': dict keys must be str, not int");
    assertThat(run("v = []\nfor _ in range(80):\n    v = [v]\nshow(v)").error())
        .contains("TypeError: show() argument 'value' is nested too deeply");
    // A subclass of a plain type is not plain: its methods are the block's code.
    assertThat(run("class S(str):\n    pass\nshow(S('x'))").error())
        .contains("show() argument 'value' must be plain data")
        .contains("not S");
  }

  @Test
  void theSameModuleImportedInEveryBlockIsTheSameView() {
    assertThat(run("import json\nfirst = json").status()).isEqualTo(ExecutionResult.Status.OK);
    assertThat(run("import json\nprint(json is first, json.dumps([1]))").output())
        .isEqualTo("True [1]\n");
    assertThat(run("from json import decoder\nprint(decoder.JSONDecodeError.__name__)").output())
        .isEqualTo("JSONDecodeError\n");
  }

  @Test
  void theToolFunctionsAreRestoredBeforeEveryBlock() {
    run("show = 'replaced'\nhelp = 1");
    assertThat(run("print(show('b'))").output()).isEqualTo("{value=b}\n");
    assertThat(run("help(show)").output()).contains("Show the arguments.");
  }
}
