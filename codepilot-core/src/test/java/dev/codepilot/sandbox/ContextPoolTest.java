package dev.codepilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.codepilot.CodePilot;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.testing.FixedContext;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interpreters made ahead of need: a sandbox takes one, it works like one of its own, it is
 * replaced, and no sandbox sees another's namespace through the pool.
 */
class ContextPoolTest {

  @TempDir static Path workDir;

  @AfterAll
  static void off() {
    CodePilot.prewarm(0);
  }

  private static ExecutionResult run(PythonSandbox sandbox, String code, String... results) {
    return sandbox.execute(
        code,
        List.of(),
        new ToolDispatcher(
            new ToolRegistry(), new FixedContext(workDir), Collections.emptyIterator()),
        List.of(results));
  }

  private static PythonSandbox sandbox(List<String> imports) {
    return new PythonSandbox(imports, Duration.ofSeconds(30), 20_000);
  }

  @Test
  void sandboxesTakeReadyInterpretersWhichAreReplacedAndShareNothing() {
    CodePilot.prewarm(2);
    await().atMost(Duration.ofMinutes(2)).until(() -> ContextPool.ready() == 2);
    try (PythonSandbox first = sandbox(RuntimeConfig.DEFAULT_ALLOWED_IMPORTS)) {
      assertThat(
              run(
                      first,
                      "import json\nsecret = 'first'\nprint(json.dumps([results[-1]]))",
                      "first result")
                  .output())
          .isEqualTo("[\"first result\"]\n");
      // Taken from the pool: one fewer until the background replaces it.
      await().atMost(Duration.ofMinutes(2)).until(() -> ContextPool.ready() == 2);
    }
    // The second sandbox's interpreter answers to its own host: its results, its allow-list.
    try (PythonSandbox second = sandbox(List.of())) {
      assertThat(run(second, "print(len(results), results[0])", "second result").output())
          .isEqualTo("1 second result\n");
      ExecutionResult read = run(second, "print(secret)");
      assertThat(read.status()).isEqualTo(ExecutionResult.Status.ERROR);
      assertThat(read.error()).contains("NameError");
      ExecutionResult imported = run(second, "import json");
      assertThat(imported.status()).isEqualTo(ExecutionResult.Status.REJECTED);
      assertThat(run(second, "x = 6 * 7\nprint(x)").output()).isEqualTo("42\n");
    }
  }

  @Test
  void aNegativeSizeIsRefused() {
    assertThatThrownBy(() -> CodePilot.prewarm(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
