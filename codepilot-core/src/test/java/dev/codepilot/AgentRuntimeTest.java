package dev.codepilot;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codepilot.RunResult.Outcome;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventType;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.Message;
import dev.codepilot.model.ReplayModel;
import dev.codepilot.model.Role;
import dev.codepilot.testing.EventLog;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import dev.codepilot.tools.PyType;
import dev.codepilot.tools.Tools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentRuntimeTest {

  @TempDir Path workDir;

  private AgentRuntime runtime(ChatModel model) throws Exception {
    return AgentRuntime.builder(TestAgents.config(workDir))
        .model(model)
        .consoleOutput(false)
        .build();
  }

  @Test
  void multiStepRunThinksAndFinishesWithTheSummary() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(
                block(
                    "# look around first\nthink('Counting to three')\nfor i in range(3):\n    print('n', i)"),
                block("think('All counted')\ndone('Counted to three.')"));
    try (AgentRuntime runtime = runtime(model)) {
      EventLog log = EventLog.attach(runtime.hooks());
      RunResult result = runtime.run("Count to three");

      assertThat(result.outcome()).isEqualTo(Outcome.FINISHED);
      assertThat(result.summary()).contains("Counted to three.");
      assertThat(result.steps()).isEqualTo(2);
      assertThat(log.types())
          .containsExactly(
              EventType.START,
              EventType.STEP,
              EventType.THINK,
              EventType.STEP,
              EventType.THINK,
              EventType.FINISH);
      assertThat(log.of(Event.Think.class))
          .extracting(Event.Think::message)
          .containsExactly("Counting to three", "All counted");
      List<Message> history = runtime.messages();
      assertThat(history).hasSize(5);
      assertThat(history.get(0)).isEqualTo(Message.user("[USER INPUT]\nCount to three"));
      assertThat(history.get(1).role()).isEqualTo(Role.ASSISTANT);
      assertThat(history.get(2).content()).isEqualTo("[EXECUTION RESULT]\nn 0\nn 1\nn 2");
      assertThat(history.get(4).content())
          .isEqualTo("[EXECUTION RESULT]\n[Control block executed with no output.]");
      assertThat(history)
          .noneMatch(m -> m.role() == Role.USER && m.content().contains("Counting to three"));
    }
  }

  @Test
  void laterTasksSeeTheWholeEarlierConversation() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(
                block("items = ['a']\ndone('made items')"),
                block("items.append('b')\nprint(items)\ndone('added b')"));
    try (AgentRuntime runtime = runtime(model)) {
      runtime.run("Make a list");
      RunResult second = runtime.run("Add b");

      assertThat(second.summary()).contains("added b");
      List<Message> seen = model.lastRequest().messages();
      assertThat(seen)
          .extracting(Message::content)
          .containsExactly(
              "[USER INPUT]\nMake a list",
              block("items = ['a']\ndone('made items')"),
              "[EXECUTION RESULT]\n[Control block executed with no output.]",
              "[USER INPUT]\nAdd b");
      assertThat(runtime.messages().get(5).content()).isEqualTo("[EXECUTION RESULT]\n['a', 'b']");
    }
  }

  @Test
  void aMessageSentFromAnotherThreadEntersAtTheNextStep() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(block("notify()\nprint('step one')"), block("done('saw the message')"));
    try (AgentRuntime runtime = runtime(model)) {
      runtime.registerTool(
          Tools.builder("notify")
              .description("Test hook.")
              .handler(
                  call -> {
                    Thread sender =
                        Thread.ofPlatform().start(() -> runtime.sendMessage("Also add type hints"));
                    sender.join();
                    return null;
                  })
              .build());
      EventLog log = EventLog.attach(runtime.hooks());

      runtime.run("Write helpers");

      assertThat(log.types())
          .containsSubsequence(
              EventType.USER_MESSAGE_QUEUED, EventType.USER_MESSAGE_INJECTED, EventType.STEP);
      assertThat(log.of(Event.UserMessageInjected.class))
          .extracting(Event.UserMessageInjected::message)
          .containsExactly("Also add type hints");
      List<Message> secondRequest = model.requests().get(1).messages();
      assertThat(secondRequest.get(secondRequest.size() - 1).content())
          .isEqualTo("[USER MESSAGE]\nAlso add type hints");
      assertThat(secondRequest.get(secondRequest.size() - 2).content())
          .isEqualTo("[EXECUTION RESULT]\nstep one");
      assertThat(model.requests().get(0).messages())
          .noneMatch(m -> m.content().contains("type hints"));
    }
  }

  @Test
  void abortStopsTheRunAfterTheCurrentStep() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(
                block("stop_me()\nprint('finished this step')"), block("done('should not run')"));
    try (AgentRuntime runtime = runtime(model)) {
      runtime.registerTool(
          Tools.builder("stop_me")
              .description("Test hook.")
              .handler(
                  call -> {
                    Thread.ofPlatform().start(runtime::abort).join();
                    return null;
                  })
              .build());

      RunResult result = runtime.run("Work");

      assertThat(result.outcome()).isEqualTo(Outcome.ABORTED);
      assertThat(result.steps()).isEqualTo(1);
      assertThat(result.summary()).isEmpty();
      assertThat(runtime.messages().get(2).content())
          .isEqualTo("[EXECUTION RESULT]\nfinished this step");
      assertThat(model.requests()).hasSize(1);
    }
  }

  @Test
  void abortBeforeRunStopsThatRunBeforeItsFirstStep() throws Exception {
    QueueModel model = new QueueModel().reply(block("done('no')"));
    try (AgentRuntime runtime = runtime(model)) {
      runtime.abort();
      RunResult result = runtime.run("Never mind");
      assertThat(result.outcome()).isEqualTo(Outcome.ABORTED);
      assertThat(result.steps()).isZero();
      assertThat(model.requests()).isEmpty();
    }
  }

  @Test
  void theRunStopsAtMaxSteps() throws Exception {
    QueueModel model =
        new QueueModel().reply(block("print(1)"), block("print(2)"), block("print(3)"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(model)
            .consoleOutput(false)
            .maxSteps(2)
            .build()) {
      EventLog log = EventLog.attach(runtime.hooks());
      RunResult result = runtime.run("Loop");
      assertThat(result.outcome()).isEqualTo(Outcome.MAX_STEPS);
      assertThat(result.steps()).isEqualTo(2);
      assertThat(log.of(Event.Step.class))
          .extracting(Event.Step::step, Event.Step::maxSteps)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1, 2), org.assertj.core.groups.Tuple.tuple(2, 2));
      assertThat(log.types()).endsWith(EventType.MAX_STEPS);
    }
  }

  @Test
  void aSecondConcurrentRunIsRefused() throws Exception {
    CountDownLatch inTool = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    QueueModel model = new QueueModel().reply(block("hold()\ndone('ok')"));
    try (AgentRuntime runtime = runtime(model)) {
      runtime.registerTool(
          Tools.builder("hold")
              .description("Test hook.")
              .handler(
                  call -> {
                    inTool.countDown();
                    release.await();
                    return null;
                  })
              .build());
      CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(() -> runtime.run("one"));
      assertThat(inTool.await(30, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> runtime.run("two"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already in progress");
      assertThatThrownBy(runtime::reset).isInstanceOf(IllegalStateException.class);
      release.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.FINISHED);
    }
  }

  @Test
  void aReplyWithoutABlockIsToldSoAndTheLoopGoesOn() throws Exception {
    QueueModel model = new QueueModel().reply("I think I should start.", block("done()"));
    try (AgentRuntime runtime = runtime(model)) {
      RunResult result = runtime.run("Go");
      assertThat(result.summary()).contains("Task complete.");
      assertThat(runtime.messages().get(2).content())
          .isEqualTo("[EXECUTION RESULT]\n[No executable code block in response.]");
    }
  }

  @Test
  void aReplyCutOffMidBlockIsReportedAndNotExecuted() throws Exception {
    QueueModel model =
        new QueueModel().reply("```python\nwrite_marker()\nprint('half", block("done()"));
    try (AgentRuntime runtime = runtime(model)) {
      runtime.registerTool(
          Tools.builder("write_marker")
              .description("Test hook.")
              .handler(
                  call -> {
                    throw new AssertionError("a cut-off block must not run");
                  })
              .build());
      EventLog log = EventLog.attach(runtime.hooks());
      runtime.run("Go");
      assertThat(runtime.messages().get(2).content())
          .contains("cut off")
          .contains("nothing was executed");
      assertThat(log.of(Event.RuntimeError.class)).hasSize(1);
    }
  }

  @Test
  void aBlockThatLoopsForeverIsStoppedAndTheRunContinues() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(
                block("kept = 'yes'\nwhile True:\n    pass"),
                block("print(kept)\ndone('recovered')"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(
                TestAgents.config(workDir, 5, Duration.ofMillis(1500), 20_000, List.of()))
            .model(model)
            .consoleOutput(false)
            .build()) {
      EventLog log = EventLog.attach(runtime.hooks());
      RunResult result = runtime.run("Spin");

      assertThat(result.outcome()).isEqualTo(Outcome.FINISHED);
      assertThat(log.of(Event.RuntimeError.class))
          .singleElement()
          .satisfies(e -> assertThat(e.error()).contains("TimeoutError").contains("1.5 s"));
      assertThat(runtime.messages().get(2).content())
          .startsWith("[EXECUTION RESULT]\nEXECUTION ERROR:\nTimeoutError");
      assertThat(runtime.messages().get(4).content()).isEqualTo("[EXECUTION RESULT]\nyes");
    }
  }

  @Test
  void timeSpentInsideToolsDoesNotCountAgainstTheTimeout() throws Exception {
    QueueModel model =
        new QueueModel().reply(block("slow()\nslow()\nprint('done waiting')\ndone()"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(
                TestAgents.config(workDir, 5, Duration.ofMillis(1000), 20_000, List.of()))
            .model(model)
            .consoleOutput(false)
            .build()) {
      runtime.registerTool(
          Tools.builder("slow")
              .description("Sleeps.")
              .handler(
                  call -> {
                    Thread.sleep(800);
                    return null;
                  })
              .build());
      RunResult result = runtime.run("Wait twice");
      assertThat(result.outcome()).isEqualTo(Outcome.FINISHED);
      assertThat(runtime.messages().get(2).content()).isEqualTo("[EXECUTION RESULT]\ndone waiting");
    }
  }

  @Test
  void hugePrintOutputIsTruncatedWithAMarker() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(block("for i in range(20000):\n    print('line', i)"), block("done()"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(
                TestAgents.config(workDir, 5, Duration.ofSeconds(30), 2_000, List.of()))
            .model(model)
            .consoleOutput(false)
            .build()) {
      runtime.run("Flood");
      String result = runtime.messages().get(2).content();
      assertThat(result.length()).isLessThan(2_100);
      assertThat(result)
          .startsWith("[EXECUTION RESULT]\nline 0\nline 1\n")
          .containsPattern("\\[\\.\\.\\. \\d+ chars truncated \\.\\.\\.\\]")
          .endsWith("line 19999");
    }
  }

  @Test
  void aModelFailureEndsTheRunAsFailedWithARuntimeError() throws Exception {
    try (AgentRuntime runtime = runtime(new ReplayModel(List.of(block("print('one')"))))) {
      EventLog log = EventLog.attach(runtime.hooks());
      RunResult result = runtime.run("Go on");
      assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(result.error())
          .hasValueSatisfying(e -> assertThat(e).contains("cassette exhausted"));
      assertThat(log.of(Event.RuntimeError.class))
          .extracting(Event.RuntimeError::error)
          .containsExactly("model request failed: cassette exhausted");
    }
  }

  @Test
  void resetWipesHistoryAndTheNamespace() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(block("secret = 42\ndone()"), block("print('secret' in dir())\ndone()"));
    try (AgentRuntime runtime = runtime(model)) {
      EventLog log = EventLog.attach(runtime.hooks());
      runtime.run("Remember");
      runtime.reset();
      assertThat(runtime.messages()).isEmpty();
      assertThat(log.types()).contains(EventType.SESSION_RESET);
      runtime.run("Recall");
      assertThat(runtime.messages().get(2).content()).isEqualTo("[EXECUTION RESULT]\nFalse");
      assertThat(model.lastRequest().messages()).hasSize(1);
    }
  }

  @Test
  void toolsTakeKeywordArgumentsAndReturnValuesToPython() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(
                block(
                    """
        r = scale(2, factor=3.5)
        print(r)
        info = describe(name='x', tags=['a', 'b'], extra={'k': None})
        print(info['name'], info['tags'], info['extra'])
        done()"""));
    try (AgentRuntime runtime = runtime(model)) {
      runtime.registerTool(
          Tools.builder("scale")
              .description("Multiply.")
              .param("value", PyType.INT)
              .optionalParam("factor", PyType.FLOAT, 2.0)
              .handler(
                  call ->
                      call.optionalInteger("value").orElseThrow()
                          * call.optionalNumber("factor").orElseThrow())
              .build());
      runtime.registerTool(
          Tools.builder("describe")
              .description("Echo.")
              .param("name", PyType.STR)
              .optionalParam("tags", PyType.LIST, null)
              .optionalParam("extra", PyType.DICT, null)
              .handler(call -> call.args())
              .build());
      EventLog log = EventLog.attach(runtime.hooks());
      runtime.run("Compute");
      // print output first, then each tool's result
      assertThat(runtime.messages().get(2).content())
          .isEqualTo(
              """
          [EXECUTION RESULT]
          7.0
          x ['a', 'b'] {'k': None}

          7.0

          {"name":"x","tags":["a","b"],"extra":{"k":null}}""");
      assertThat(log.of(Event.ToolCall.class))
          .extracting(Event.ToolCall::tool, e -> e.args().keySet())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("scale", java.util.Set.of("value", "factor")),
              org.assertj.core.groups.Tuple.tuple(
                  "describe", java.util.Set.of("name", "tags", "extra")));
    }
  }

  @Test
  void aFailingHandlerIsReportedAndTheRunGoesOn() throws Exception {
    QueueModel model = new QueueModel().reply(block("think('hi')\ndone('ok')"));
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    try (AgentRuntime runtime = runtime(model)) {
      runtime
          .hooks()
          .setErrorReporter(new PrintStream(errors, true, StandardCharsets.UTF_8)::println);
      runtime.onThink(
          e -> {
            throw new IllegalStateException("boom");
          });
      RunResult result = runtime.run("Go");
      assertThat(result.outcome()).isEqualTo(Outcome.FINISHED);
      assertThat(errors.toString(StandardCharsets.UTF_8))
          .contains("THINK handler failed")
          .contains("boom");
    }
  }

  @Test
  void defaultConsoleHandlersPrintProgressAndAreReplacedByHandlerMethods() throws Exception {
    QueueModel model = new QueueModel().reply(block("think('pondering')\ndone('all good')"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(model)
            .consoleOutput(new PrintStream(out, true, StandardCharsets.UTF_8))
            .build()) {
      List<String> mine = new java.util.concurrent.CopyOnWriteArrayList<>();
      runtime.onFinish(e -> mine.add(e.summary()));
      runtime.run("Go");
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains("💭 pondering").doesNotContain("Done: all good");
      assertThat(mine).containsExactly("all good");
    }
  }
}
