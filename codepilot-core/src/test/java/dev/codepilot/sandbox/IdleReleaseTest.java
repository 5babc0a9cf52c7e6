package dev.codepilot.sandbox;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codepilot.AgentRuntime;
import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.model.Message;
import dev.codepilot.testing.FixedContext;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import dev.codepilot.tools.ToolDispatcher;
import dev.codepilot.tools.ToolRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An idle sandbox gives its interpreter back, and the next block is told its namespace is gone. */
class IdleReleaseTest {

  @TempDir Path workDir;

  private PythonSandbox sandbox;

  @AfterEach
  void close() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private ExecutionResult run(String code) {
    return sandbox.execute(
        code,
        List.of(),
        new ToolDispatcher(
            new ToolRegistry(), new FixedContext(workDir), Collections.emptyIterator()));
  }

  private PythonSandbox sandbox(Duration idleRelease) {
    sandbox =
        new PythonSandbox(
            RuntimeConfig.DEFAULT_ALLOWED_IMPORTS, Duration.ofSeconds(30), 20_000, idleRelease);
    return sandbox;
  }

  @Test
  void anIdleSandboxClosesItsContextAndTheNextBlockIsToldOnce() {
    sandbox(Duration.ofMillis(50));
    assertThat(run("x = 41").status()).isEqualTo(ExecutionResult.Status.OK);
    sandbox.releaseWhenIdle();
    await().atMost(Duration.ofSeconds(30)).until(() -> !sandbox.hasContext());

    ExecutionResult after = run("print(x + 1)");
    assertThat(after.status()).isEqualTo(ExecutionResult.Status.ERROR);
    assertThat(after.error()).contains("NameError");
    assertThat(after.notice())
        .contains("released after it was idle for more than 0.05 s")
        .contains("variables, functions and imports from blocks before this one are gone");
    assertThat(run("x = 1").notice()).isEmpty();
  }

  @Test
  void aSandboxUsedAgainWithinTheTimeoutKeepsItsNamespace() {
    sandbox(Duration.ofMinutes(5));
    run("x = 41");
    sandbox.releaseWhenIdle();
    ExecutionResult after = run("print(x + 1)");
    assertThat(after.output()).isEqualTo("42\n");
    assertThat(after.notice()).isEmpty();
  }

  @Test
  void warmingUpCancelsAPendingRelease() throws Exception {
    sandbox(Duration.ofMillis(300));
    run("x = 41");
    sandbox.releaseWhenIdle();
    sandbox.warmUp();
    Thread.sleep(600);
    assertThat(sandbox.hasContext()).isTrue();
    assertThat(run("print(x)").output()).isEqualTo("41\n");
  }

  @Test
  void releasingANamespaceNoBlockUsedNeedsNoNotice() {
    sandbox(Duration.ZERO);
    sandbox.warmUp();
    sandbox.releaseWhenIdle();
    await().atMost(Duration.ofSeconds(30)).until(() -> !sandbox.hasContext());
    assertThat(run("x = 1").notice()).isEmpty();
  }

  @Test
  void theModelSeesTheNoticeInTheExecutionResult() throws Exception {
    QueueModel model =
        new QueueModel().reply(block("x = 41\ndone()"), block("print(x)"), block("done()"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(model)
            .consoleOutput(false)
            .sandboxIdleTimeout(Duration.ZERO)
            .build()) {
      runtime.run("first");
      // The release is immediate; give the sandbox's thread time to carry it out.
      Thread.sleep(2000);
      runtime.run("second");
      List<Message> messages = runtime.messages();
      assertThat(messages.get(messages.size() - 3).content())
          .startsWith(
              "[EXECUTION RESULT]\n[Note: this agent's Python interpreter was released when"
                  + " its previous run ended")
          .contains("NameError");
    }
  }
}
