package dev.codepilot.security;

import static dev.codepilot.security.Expect.FAILS;
import static dev.codepilot.security.Expect.REFUSED_OR_FAILS;
import static dev.codepilot.security.Expect.RUNS;
import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Blocks that attack time, memory, the stack and the output, run through a real runtime with a
 * short execution timeout. Each must end within the timeout plus the interrupt grace time (the test
 * fails on its own timeout rather than hang), fire RUNTIME_ERROR, and leave the run able to go on.
 * Several run code of the block inside a callback (a __str__, an __eq__, a key function, the
 * reading of a tool's arguments): guest code must never run while the watchdog believes the block
 * is inside a host tool.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResourceAttacksTest {

  private static final int OUTPUT_LIMIT = 4_000;

  @TempDir static Path root;

  private static HostileFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = new HostileFixture(root, Duration.ofMillis(1500), OUTPUT_LIMIT);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static Arguments attack(String name, Expect expect, String code) {
    return Arguments.of(name, expect, block(code));
  }

  static Stream<Arguments> timeAndMemory() {
    return Stream.of(
        attack("while True", FAILS, "while True:\n    pass"),
        attack(
            "catching the interrupt",
            FAILS,
            "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"),
        attack("infinite iterator into a list", FAILS, "x = list(iter(int, 1))"),
        attack(
            "catastrophic regex (the engine does not backtrack)",
            RUNS,
            "import re\nre.match(r'(a+)+$', 'a' * 64 + 'b')"),
        attack("uninterruptible huge power", FAILS, "x = 10 ** (3 * 10 ** 7)"),
        attack("deep recursion", FAILS, "def f(n):\n    return f(n + 1)\nf(0)"),
        attack(
            "deep recursion in __repr__",
            FAILS,
            "class R:\n    def __repr__(self):\n        return repr(self)\nprint(R())"),
        attack("deeply nested json", FAILS, "import json\njson.loads('[' * 100000 + ']' * 100000)"),
        attack(
            "deeply nested source",
            REFUSED_OR_FAILS,
            "x = " + "(".repeat(3000) + "1" + ")".repeat(3000)),
        attack("long unary chain", REFUSED_OR_FAILS, "x = " + "-".repeat(100_000) + "1"),
        attack("huge list", FAILS, "x = [0] * (10 ** 10)"),
        attack("huge string", FAILS, "x = 'a' * (3 * 10 ** 9)"),
        attack("huge bytearray", FAILS, "x = bytearray(2 ** 40)"),
        attack("giant integer to text", FAILS, "print(str(10 ** 5000))"),
        attack("giant integer to a tool", FAILS, "think(10 ** 5000)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void timeAndMemory(String name, Expect expect, String reply) throws Exception {
    HostileFixture.Attack attack = fixture.attack(reply);
    expect.check(attack);
    fixture.assertNothingEscaped(attack);
  }

  static Stream<Arguments> loopsInCallbacks() {
    String loop = "        while True:\n            pass\n";
    return Stream.of(
        attack(
            "__str__ used by print",
            FAILS,
            "class S:\n    def __str__(self):\n" + loop + "print(S())"),
        attack(
            "__eq__ used by list.index",
            FAILS,
            "class S:\n    def __eq__(self, o):\n" + loop + "[S()].index(1)"),
        attack(
            "__hash__ used by a dict",
            FAILS,
            "class S:\n    def __hash__(self):\n" + loop + "{S(): 1}"),
        attack(
            "key function of sorted",
            FAILS,
            "def key(v):\n    while True:\n        pass\nsorted([2, 1], key=key)"),
        attack(
            "__str__ of an exception being reported",
            FAILS,
            "class E(Exception):\n    def __str__(self):\n" + loop + "raise E()"),
        attack(
            "__str__ of an object passed to a tool",
            FAILS,
            "class S:\n    def __str__(self):\n" + loop + "think(S())"),
        attack(
            "__index__ of a line number passed to a tool",
            FAILS,
            "class N:\n    def __index__(self):\n"
                + loop
                + "read_file('inside.txt', start_line=N())"),
        attack(
            "__fspath__ of a path passed to a tool",
            FAILS,
            "class P:\n    def __fspath__(self):\n" + loop + "read_file(P())"),
        attack(
            "str subclass passed to a tool",
            FAILS,
            "class S(str):\n    def __str__(self):\n" + loop + "write_file(S('x.txt'))"),
        attack(
            "finalizers that loop",
            REFUSED_OR_FAILS,
            "class D:\n    def __del__(self):\n"
                + loop
                + "for _ in range(10000):\n    D()\nwhile True:\n    pass"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void loopsInCallbacks(String name, Expect expect, String reply) throws Exception {
    HostileFixture.Attack attack = fixture.attack(reply);
    expect.check(attack);
    fixture.assertNothingEscaped(attack);
  }

  @Test
  void anOutputFloodIsCutToTheLimit() throws Exception {
    HostileFixture.Attack attack =
        fixture.attack(block("print('y' * 10 ** 7)\nprint('z' * 10 ** 6)"));
    RUNS.check(attack);
    assertThat(attack.feedback().length()).isLessThan(OUTPUT_LIMIT + 200);
    assertThat(attack.feedback()).contains("chars truncated").endsWith("z");
  }

  @Test
  void anExceptionThatCannotBeFormattedIsStillReported() throws Exception {
    HostileFixture.Attack attack =
        fixture.attack(
            block(
                "kept = 1\nclass E(Exception):\n    __cause__ = property(lambda self: 1 / 0)\nraise E()"));
    FAILS.check(attack);
    assertThat(attack.feedback())
        .contains("E (its details could not be shown)")
        .doesNotContain("restarted");
  }

  @Test
  void aStuckBlockIsAbandonedAndTheNextBlockRunsAtOnce() throws Exception {
    long started = System.nanoTime();
    HostileFixture.Attack attack = fixture.attack(block("x = 10 ** (3 * 10 ** 7)"));
    double seconds = (System.nanoTime() - started) / 1e9;
    FAILS.check(attack);
    assertThat(attack.feedback()).contains("could not be interrupted").contains("fresh one");
    // timeout 1.5 s + interrupt grace 3 s + a fresh context; the power alone takes much longer
    assertThat(seconds).isLessThan(15);
  }
}
