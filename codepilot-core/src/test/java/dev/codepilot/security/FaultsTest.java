package dev.codepilot.security;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.RunResult.Outcome;
import dev.codepilot.hooks.Event;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.Role;
import dev.codepilot.session.FileSession;
import dev.codepilot.session.SessionException;
import dev.codepilot.testing.EventLog;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import dev.codepilot.tools.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around the sandbox: a model provider that fails, hangs or answers garbage; tools that
 * throw anything; a session file that is damaged or cannot be written; a JVM killed mid-run. Each
 * ends in a clear report, and where there is state, nothing of it is lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultsTest {

  @TempDir Path workDir;

  @TempDir Path sessionDir;

  private AgentRuntime runtime(ChatModel model) throws Exception {
    return AgentRuntime.builder(TestAgents.config(workDir))
        .model(model)
        .consoleOutput(false)
        .build();
  }

  @Test
  void aProviderErrorEndsTheRunAsFailedWithItsMessage() throws Exception {
    ChatModel failing =
        request -> {
          throw new ModelException("HTTP 529 overloaded; retried 3 times");
        };
    try (AgentRuntime runtime = runtime(failing)) {
      EventLog log = EventLog.attach(runtime.hooks());
      RunResult result = runtime.run("Go");
      assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("529 overloaded"));
      assertThat(log.of(Event.RuntimeError.class)).hasSize(1);
      assertThat(runtime.messages())
          .extracting(Message::content)
          .containsExactly("[USER INPUT]\nGo");
    }
  }

  @Test
  void aProviderThatThrowsAnythingElseOrReturnsNothingIsAFailureToo() throws Exception {
    ChatModel broken =
        request -> {
          throw new IllegalStateException("connection pool shut down");
        };
    try (AgentRuntime runtime = runtime(broken)) {
      RunResult result = runtime.run("Go");
      assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(result.error())
          .hasValueSatisfying(e -> assertThat(e).contains("connection pool shut down"));
    }
    try (AgentRuntime runtime = runtime(request -> null)) {
      assertThat(runtime.run("Go").error())
          .hasValueSatisfying(e -> assertThat(e).contains("no reply"));
    }
  }

  @Test
  void aHangingProviderIsCancelledByAbort() throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    ChatModel hanging =
        request -> {
          asked.countDown();
          CountDownLatch cancelled = new CountDownLatch(1);
          request.cancellation().onCancel(cancelled::countDown);
          try {
            cancelled.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw ModelException.cancelled();
        };
    try (AgentRuntime runtime = runtime(hanging)) {
      CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> runtime.run("Wait"));
      assertThat(asked.await(30, TimeUnit.SECONDS)).isTrue();
      long started = System.nanoTime();
      runtime.abort();
      assertThat(run.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.ABORTED);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void garbageRepliesAreReportedAndTheRunGoesOn() throws Exception {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    String binary = new String(noise, StandardCharsets.ISO_8859_1) + "\u0000\uFFFF\uD800";
    String huge = "word ".repeat(400_000);
    QueueModel model =
        new QueueModel()
            .reply(
                "",
                huge,
                binary,
                "```python\nprint('half",
                "````\n````",
                block("done('still here')"));
    try (AgentRuntime runtime = runtime(model)) {
      EventLog log = EventLog.attach(runtime.hooks());
      RunResult result = runtime.run("Go");
      assertThat(result.outcome()).isEqualTo(Outcome.FINISHED);
      assertThat(result.summary()).contains("still here");
      assertThat(result.steps()).isEqualTo(6);
      List<String> results =
          runtime.messages().stream()
              .filter(m -> m.role() == Role.USER)
              .map(Message::content)
              .skip(1)
              .toList();
      assertThat(results.subList(0, 3)).allMatch(r -> r.contains("No executable code block"));
      assertThat(results.get(3)).contains("cut off").contains("nothing was executed");
      assertThat(log.of(Event.RuntimeError.class)).hasSize(1);
    }
  }

  @Test
  void toolsThatThrowAnythingRaiseInTheBlockAndTheRunGoesOn() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(
                block(
                    """
        for tool in [checked, unchecked, error, overflow, cyclic]:
            try:
                tool()
                print('no exception from', tool.__name__)
            except RuntimeError as e:
                print(tool.__name__, '->', e)
        """),
                block("done('after the failures')"));
    try (AgentRuntime runtime = runtime(model)) {
      runtime.registerTool(
          Tools.builder("checked")
              .description("Fails.")
              .handler(
                  call -> {
                    throw new IOException("disk on fire");
                  })
              .build());
      runtime.registerTool(
          Tools.builder("unchecked")
              .description("Fails.")
              .handler(
                  call -> {
                    throw new IllegalStateException("bad state");
                  })
              .build());
      runtime.registerTool(
          Tools.builder("error")
              .description("Fails.")
              .handler(
                  call -> {
                    throw new AssertionError("broken invariant");
                  })
              .build());
      runtime.registerTool(
          Tools.builder("overflow").description("Fails.").handler(call -> recurse(0)).build());
      runtime.registerTool(
          Tools.builder("cyclic")
              .description("Returns a cycle.")
              .handler(
                  call -> {
                    List<Object> list = new ArrayList<>();
                    list.add(list);
                    return list;
                  })
              .build());
      RunResult result = runtime.run("Use the tools");
      assertThat(result.summary()).contains("after the failures");
      String shown = runtime.messages().get(2).content();
      assertThat(shown)
          .contains("checked -> tool 'checked' failed: IOException: disk on fire")
          .contains("unchecked -> tool 'unchecked' failed: IllegalStateException: bad state")
          .contains("error -> tool 'error' failed: AssertionError: broken invariant")
          .contains("overflow -> tool 'overflow' failed: it recursed too deeply")
          .contains("cyclic -> tool 'cyclic' returned a value that cannot be passed to Python")
          .doesNotContain("no exception from");
    }
  }

  // A tool that overflows its stack on purpose.
  @SuppressWarnings("InfiniteRecursion")
  private static Object recurse(int depth) {
    return recurse(depth + 1) == null ? null : depth;
  }

  @Test
  void aDamagedSessionFileIsKeptAsideAndReportedNeverOverwritten() throws Exception {
    Path file = sessionDir.resolve("damaged.json");
    Files.writeString(file, "{\"session_id\": \"damaged\", \"messages\": [ {\"ro");
    assertThatThrownBy(
            () ->
                AgentRuntime.builder(TestAgents.config(workDir))
                    .model(new QueueModel())
                    .consoleOutput(false)
                    .session("file")
                    .sessionId("damaged")
                    .sessionDir(sessionDir)
                    .build())
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("It was kept as");
    try (Stream<Path> files = Files.list(sessionDir)) {
      List<Path> kept =
          files
              .filter(p -> !p.equals(file))
              .filter(
                  p -> {
                    try {
                      return Files.readString(p).contains("\"messages\": [ {\"ro");
                    } catch (IOException e) {
                      return false;
                    }
                  })
              .toList();
      assertThat(kept).hasSize(1);
    }
  }

  /**
   * A full disk is simulated by a path that cannot be written even by root: the session folder is
   * swapped for a regular file mid-run, so creating the new session file fails with "Not a
   * directory", the way a write fails on a full disk.
   */
  @Test
  void anUnwritableSessionFailsTheRunClearlyAndLosesNothing() throws Exception {
    Path dir = sessionDir.resolve("sessions");
    Path moved = sessionDir.resolve("sessions-moved");
    QueueModel model =
        new QueueModel()
            .reply(
                block("block_the_disk()\nprint('work done')"),
                block("done('first task')"),
                block("done('second task')"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(model)
            .consoleOutput(false)
            .session("file")
            .sessionId("full")
            .sessionDir(dir)
            .build()) {
      runtime.registerTool(
          Tools.builder("block_the_disk")
              .description("Test hook.")
              .handler(
                  call -> {
                    Files.move(dir, moved);
                    Files.writeString(dir, "a file where the folder was");
                    return null;
                  })
              .build());
      EventLog log = EventLog.attach(runtime.hooks());
      RunResult failed = runtime.run("First task");
      assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(failed.error())
          .hasValueSatisfying(
              e ->
                  assertThat(e)
                      .contains("the session could not be saved")
                      .contains("cannot save session 'full'")
                      .contains("the previously saved history is unchanged"));
      assertThat(log.of(Event.RuntimeError.class)).hasSize(1);
      assertThat(runtime.messages())
          .extracting(Message::content)
          .contains("[EXECUTION RESULT]\nwork done");

      // The disk has room again: the next save writes everything, the failed step included.
      Files.delete(dir);
      Files.move(moved, dir);
      assertThat(runtime.run("Second task").outcome()).isEqualTo(Outcome.FINISHED);
    }
    try (FileSession reopened = new FileSession("full", "reader", dir)) {
      assertThat(reopened.load())
          .extracting(Message::content)
          .contains(
              "[USER INPUT]\nFirst task",
              "[EXECUTION RESULT]\nwork done",
              "[USER INPUT]\nSecond task");
    }
  }

  @Test
  void aFinishedTaskWhoseLastSaveFailsIsReportedAsFailedNotFinished() throws Exception {
    Path dir = sessionDir.resolve("sessions");
    Path moved = sessionDir.resolve("sessions-moved");
    QueueModel model =
        new QueueModel().reply(block("block_the_disk()\ndone('all done')"), block("done('again')"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(model)
            .consoleOutput(false)
            .session("file")
            .sessionId("last")
            .sessionDir(dir)
            .build()) {
      runtime.registerTool(
          Tools.builder("block_the_disk")
              .description("Test hook.")
              .handler(
                  call -> {
                    Files.move(dir, moved);
                    Files.writeString(dir, "a file where the folder was");
                    return null;
                  })
              .build());
      EventLog log = EventLog.attach(runtime.hooks());
      RunResult failed = runtime.run("Only task");
      assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(failed.summary()).isEmpty();
      assertThat(failed.error())
          .hasValueSatisfying(
              e ->
                  assertThat(e)
                      .contains("the session could not be saved")
                      .contains("cannot save session 'last'"));
      assertThat(log.of(Event.Finish.class)).isEmpty();
      assertThat(log.of(Event.RuntimeError.class)).hasSize(1);

      Files.delete(dir);
      Files.move(moved, dir);
      assertThat(runtime.run("Next task").outcome()).isEqualTo(Outcome.FINISHED);
    }
    try (FileSession reopened = new FileSession("last", "reader", dir)) {
      assertThat(reopened.load())
          .extracting(Message::content)
          .contains("[USER INPUT]\nOnly task", "[USER INPUT]\nNext task");
    }
  }

  @Test
  void aRuntimeKilledMidRunKeepsEveryCompletedStep() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                KilledRunChild.class.getName(),
                workDir.toString(),
                sessionDir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("in step 3");
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    try (FileSession session = new FileSession("killed", "reader", sessionDir)) {
      assertThat(session.load())
          .extracting(Message::content)
          .containsExactly(
              "[USER INPUT]\nWork in three steps",
              block("print('step one')"),
              "[EXECUTION RESULT]\nstep one",
              block("print('step two')"),
              "[EXECUTION RESULT]\nstep two");
    }
  }
}
