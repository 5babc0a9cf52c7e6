package dev.codepilot.sandbox;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.Event;
import dev.codepilot.testing.EventLog;
import dev.codepilot.testing.FixedContext;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rejection class of the AST policy, and what must keep working, through a real runtime. */
class SandboxPolicyTest {

  @TempDir static Path workDir;

  private static QueueModel model;
  private static AgentRuntime runtime;
  private static EventLog log;

  @BeforeAll
  static void start() throws Exception {
    model = new QueueModel();
    runtime =
        AgentRuntime.builder(TestAgents.config(workDir)).model(model).consoleOutput(false).build();
    log = EventLog.attach(runtime.hooks());
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  @BeforeEach
  void clearLog() {
    log.clear();
  }

  /** Runs one block, then done; returns the execution result the model saw for the block. */
  private static String runBlock(String code) {
    model.reply(block(code), block("done()"));
    int before = runtime.messages().size();
    runtime.run("check");
    return runtime.messages().get(before + 2).content();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "import os",
        "import subprocess",
        "import sys",
        "from os import path",
        "import os.path",
        "from . import x",
        "import importlib",
        "import java",
        "import polyglot",
        "import ctypes",
        "import builtins",
        "import __graalpython__",
        "import re, socket",
        "from json import _default_decoder",
        "import json.decoder as __builtins__",
      })
  void importsOutsideTheAllowListAreRejected(String code) {
    assertRejected(code);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "print(().__class__)", "x = ''.__class__.__mro__",
            "print((1).__class__.__base__.__subclasses__())",
        "f = lambda: 0\nprint(f.__globals__)", "print(print.__self__)", "d = {}.__class__",
        "class A: pass\nprint(A.__dict__)", "print(__builtins__)", "__builtins__ = {}",
        "print(__loader__)", "print(__spec__)", "def f(__class__): pass",
        "match 1:\n    case int(__class__=c):\n        pass",
      })
  void dunderAccessIsRejected(String code) {
    assertRejected(code);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "eval('1')",
        "exec('x = 1')",
        "compile('1', 'x', 'eval')",
        "open('/etc/passwd')",
        "__import__('os')",
        "print(globals())",
        "print(locals())",
        "print(vars())",
        "breakpoint()",
        "input()",
        "exit()",
        "quit()",
        "e = eval",
        "x = [exec][0]",
      })
  void forbiddenNamesAreRejected(String code) {
    assertRejected(code);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "name = '__cla' + 'ss__'\ngetattr(1, name)",
        "getattr(1, '__class__')",
        "g = getattr",
        "setattr(object, '__eq__', 1)",
        "delattr(object, '__init__' + '')",
        "getattr(1, 'real'.upper())",
        "(lambda: 0).gi_frame",
        "g = (x for x in [])\ng.gi_frame",
        "try:\n    1/0\nexcept Exception as e:\n    e.__traceback__.tb_frame",
        "print('{0.__class__}'.format(1))",
        "print('{x.__init__.__globals__}'.format_map({'x': 1}))",
      })
  void attributeTricksAreRejected(String code) {
    assertRejected(code);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "import pathlib\nprint(pathlib.PurePath._flavour)",
        "import random\nrandom._inst",
        "import json\nprint(json.decoder._CONSTANTS)",
        "import re\nx = re._compiler",
        "import pathlib\nprint(getattr(pathlib.PurePath, '_flavour'))",
        "import pathlib\nsetattr(pathlib.PurePath, '_flavour', None)",
        "import pathlib\nprint('{0._flavour}'.format(pathlib.PurePath))",
        "class Mine:\n    pass\nm = Mine()\nm._secret = 1",
        "import pathlib\nmatch pathlib.PurePath('a'):\n    case pathlib.PurePath(_raw_paths=p):\n        pass",
      })
  void privateAttributesAreRejectedWhateverTheObject(String code) {
    assertRejected(code);
    assertThat(log.of(Event.SecurityError.class).get(0).error())
        .containsAnyOf("private attribute", "may not reach the attribute")
        .doesNotContain("Traceback");
  }

  /** Format strings and class patterns read attributes named in data, not in the code. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "t = '{0._flavour}'\nprint(t.format(1))",
        "t = '{x}'\nprint(t.format_map({'x': 1}))",
        "print(str.format('{0}', 1))",
        "f = getattr('{0}', 'format')",
        "t = '{0}'\nf = getattr(t, 'format')",
        "print(('{0' + '}').format(1))",
        "f = '{0._x}'.format\nf(1)",
        "P = type('P', (), {'__match_args__': ('_flavour',)})\nmatch P():\n    case P(f):\n        pass",
        "match (1, 2):\n    case tuple(a):\n        pass",
      })
  void attributeNamesFromDataAreRejected(String code) {
    assertRejected(code);
  }

  @Test
  void literalFormatStringsAndKeywordClassPatternsWork() {
    String result =
        runBlock(
            """
        class Point:
            def __init__(self, x, y):
                self.x, self.y = x, y
        match Point(1, 2):
            case Point(x=a, y=b):
                print('{} {b}'.format(a, b=b), '{k}'.format_map({'k': 3}), f'{a + b}')""");
    assertThat(result).isEqualTo("[EXECUTION RESULT]\n1 2 3 3");
  }

  @Test
  void namedTupleApiAndStringAnnotationsStillWork() {
    String result =
        runBlock(
            """
        import collections, typing
        P = collections.namedtuple('P', 'x y')
        p = P(1, 2)
        print(p._asdict(), p._replace(x=3), P._fields, P._make([5, 6]))
        class Q(typing.NamedTuple):
            a: int
            b: str = 'z'
        def f(x: 'int', y: 'list[str]') -> 'Q':
            pass
        print(Q(1), typing.get_type_hints(f)['y'])""");
    assertThat(result)
        .isEqualTo(
            """
        [EXECUTION RESULT]
        {'x': 1, 'y': 2} P(x=3, y=2) ('x', 'y') P(x=5, y=6)
        Q(a=1, b='z') list[str]""");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "import typing\ndef f(x: '().__class__'): pass\ntyping.get_type_hints(f)",
        "import typing\ntyping.ForwardRef(\"__import__('os')\")",
        "__name__ = '_frozen_importlib'\ntry:\n    import typing\n    typing.ForwardRef('().__class__')"
            + "\nfinally:\n    __name__ = '__main__'",
        "import typing\ndef f(x: 'open(\\'/etc/passwd\\')'): pass\ntyping.get_type_hints(f)",
      })
  void stringsCompiledAtRunTimePassThePolicyToo(String code) {
    String result = runBlock(code);
    assertThat(result)
        .contains("PermissionError: SECURITY ERROR: code compiled at run time was" + " refused");
  }

  @Test
  void theWallsRefusalsArePythonExceptionsAndTheNamespaceLives() {
    String result =
        runBlock(
            """
        import pathlib
        kept = 'still here'
        for attempt in (pathlib.Path.cwd, lambda: pathlib.Path('a').resolve(),
                        lambda: pathlib.Path('a').absolute(), pathlib.Path.home,
                        lambda: pathlib.Path('~').expanduser()):
            try:
                print(attempt())
            except PermissionError as e:
                print('PermissionError')""");
    assertThat(result)
        .isEqualTo("[EXECUTION RESULT]\n" + "PermissionError\n".repeat(4) + "PermissionError");
    assertThat(runBlock("print(kept)")).isEqualTo("[EXECUTION RESULT]\nstill here");
  }

  /** Functions that resolve attribute names from strings are getattr by another name. */
  @Test
  void viewsLeaveOutFunctionsThatResolveAttributeNames() {
    try (PythonSandbox sandbox =
        new PythonSandbox(
            List.of("operator", "string", "pathlib"), Duration.ofSeconds(30), 20_000)) {
      ExecutionResult result =
          sandbox.execute(
              """
          import operator, string, pathlib
          print(hasattr(operator, 'attrgetter'), hasattr(operator, 'methodcaller'),
                hasattr(string, 'Formatter'), operator.itemgetter(1)([5, 6]), string.digits)
          from operator import attrgetter""",
              List.of(),
              new ToolDispatcher(
                  new ToolRegistry(), new FixedContext(workDir), Collections.emptyIterator()));
      assertThat(result.output()).isEqualTo("False False False 6 0123456789\n");
      assertThat(result.error()).contains("ImportError");
    }
  }

  @Test
  void allowedImportsReallyWork() {
    String result =
        runBlock(
            """
        import re, json, math, datetime, random, itertools, collections, typing, pathlib
        from collections import Counter, abc
        import collections.abc
        print(json.dumps({'k': re.sub('a', 'b', 'aa')}), math.floor(2.5))
        print(datetime.date(2024, 1, 2).isoformat(), list(itertools.islice(itertools.count(), 3)))
        print(Counter('aab')['a'], isinstance({}, abc.Mapping), pathlib.PurePosixPath('a/b').name)""");
    assertThat(result)
        .isEqualTo(
            """
        [EXECUTION RESULT]
        {"k": "bb"} 2
        2024-01-02 [0, 1, 2]
        2 True b""");
    assertThat(log.of(Event.SecurityError.class)).isEmpty();
  }

  @Test
  void allowedModulesDoNotLeadToOtherModules() {
    String result =
        runBlock(
            """
        import re, pathlib, typing
        for module, name in [(re, 'enum'), (pathlib, 'os'), (typing, 'sys')]:
            try:
                getattr(module, 'x')
            except AttributeError:
                pass
        print(hasattr(re, 'enum'), hasattr(pathlib, 'os'), hasattr(typing, 'sys'), hasattr(re, 'compile'))""");
    assertThat(result).isEqualTo("[EXECUTION RESULT]\nFalse False False True");
  }

  @Test
  void variablesFunctionsAndImportsPersistAcrossBlocks() {
    runBlock("import json\ncounter = 1\ndef bump(n):\n    return n + 1");
    String result = runBlock("counter = bump(counter)\nprint(counter, json.dumps([counter]))");
    assertThat(result).isEqualTo("[EXECUTION RESULT]\n2 [2]");
  }

  @Test
  void permittedDundersAndLiteralGetattrWork() {
    String result =
        runBlock(
            """
        class Base:
            def __init__(self):
                self.ready = True
        class Child(Base):
            \"\"\"A child.\"\"\"
            __slots__ = ()
            def __init__(self):
                super().__init__()
            def __repr__(self):
                return 'Child!'
        c = Child()
        print(c.ready, Child.__name__, Child.__doc__, getattr(c, 'ready'), repr(c), __name__)""");
    assertThat(result).isEqualTo("[EXECUTION RESULT]\nTrue Child A child. True Child! __main__");
  }

  @Test
  void fileAndProcessAccessWithoutToolsFailsInsideTheBlock() {
    String result =
        runBlock(
            """
        import pathlib
        for attempt in [lambda: pathlib.Path('/etc/hostname').read_text(),
                        lambda: pathlib.Path('escape.txt').write_text('x'),
                        lambda: list(pathlib.Path('/').iterdir())]:
            try:
                attempt()
                print('REACHED')
            except Exception as e:
                print(type(e).__name__)""");
    assertThat(result).doesNotContain("REACHED");
    assertThat(workDir.resolve("escape.txt")).doesNotExist();
  }

  @Test
  void aRejectedBlockRunsNothingAndTheNextBlockRuns() {
    String rejected = runBlock("print('must not print')\nimport os");
    assertThat(rejected).doesNotContain("must not print");
    String next = runBlock("print('still alive')");
    assertThat(next).isEqualTo("[EXECUTION RESULT]\nstill alive");
  }

  @Test
  void rebindingDoneOrThinkLastsOnlyForThatBlock() {
    runBlock("done = lambda *a: None\nthink = None");
    model.reply(block("think('back')\ndone('restored')"));
    assertThat(runtime.run("again").summary()).contains("restored");
  }

  @Test
  void systemExitAndKeyboardInterruptAreReportedNotFatal() {
    assertThat(runBlock("raise SystemExit(3)"))
        .contains("EXECUTION ERROR")
        .contains("SystemExit: 3");
    assertThat(runBlock("raise KeyboardInterrupt")).contains("KeyboardInterrupt");
    assertThat(runBlock("print('alive')")).isEqualTo("[EXECUTION RESULT]\nalive");
  }

  @Test
  void syntaxErrorsAreReportedWithTheLine() {
    String result = runBlock("x = (1,\nprint(x)");
    assertThat(result).contains("EXECUTION ERROR").contains("SyntaxError");
    assertThat(log.of(Event.RuntimeError.class)).hasSize(1);
  }

  @Test
  void deepRecursionBecomesARecursionError() {
    String result = runBlock("def f(n):\n    return f(n + 1)\nf(0)");
    assertThat(result).contains("RecursionError").contains("Previous line repeated");
    assertThat(runBlock("print('ok')")).isEqualTo("[EXECUTION RESULT]\nok");
  }

  private static void assertRejected(String code) {
    String result = runBlock(code);
    assertThat(result).startsWith("[EXECUTION RESULT]\nSECURITY ERROR: ");
    assertThat(log.of(Event.SecurityError.class))
        .singleElement()
        .satisfies(e -> assertThat(result).contains(e.error()));
  }
}
