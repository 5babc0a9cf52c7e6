package dev.codepilot.hooks;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.AgentRuntime;
import dev.codepilot.RunResult;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.model.StopReason;
import dev.codepilot.model.Usage;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run observer hears of each part of a run, from start to end, in order. */
class RunObserverTest {

  @TempDir Path workDir;

  /** Writes down every call as one line. */
  static final class Recorder implements RunObserver {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void runStarted(RunStart run) {
      calls.add(
          "run "
              + run.agent()
              + " "
              + run.sessionId()
              + " "
              + run.task()
              + " "
              + run.provider()
              + " max="
              + run.maxSteps());
    }

    @Override
    public void stepStarted(int step) {
      calls.add("step " + step);
    }

    @Override
    public void modelCallStarted(ModelRequest request) {
      calls.add("model " + request.messages().size() + " messages");
    }

    @Override
    public void modelTextStarted() {
      calls.add("first text");
    }

    @Override
    public void modelCallEnded(ModelReply reply) {
      calls.add("model ended " + reply.usage().outputTokens());
    }

    @Override
    public void modelCallFailed(ModelException failure) {
      calls.add("model failed " + failure.getMessage());
    }

    @Override
    public void blockStarted(String code) {
      calls.add("block " + code.lines().findFirst().orElse(""));
    }

    @Override
    public void blockEnded(BlockEnd block) {
      calls.add(
          "block ended "
              + block.status()
              + " "
              + block.output().strip()
              + (block.error().isEmpty() ? "" : " error"));
    }

    @Override
    public void toolCallStarted(String tool, Map<String, Object> args) {
      calls.add("tool " + tool + " " + args);
    }

    @Override
    public void toolCallEnded(ToolCallEnd call) {
      calls.add(
          "tool ended "
              + call.tool()
              + " "
              + call.errorType().orElse("returned")
              + (call.denied() ? " denied" : ""));
    }

    @Override
    public void runEnded(RunEnd run) {
      calls.add(
          "run ended "
              + run.outcome()
              + " steps="
              + run.steps()
              + run.error().map(e -> " " + e).orElse(""));
    }
  }

  @Test
  void anObserverHearsEachPartOfARunInOrder() throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(
                block(
                        "print('hi')\nwrite_file('a.txt')\ntry:\n    read_file('missing.txt')\n"
                            + "except FileNotFoundError:\n    pass")
                    + "\n```\nalpha\n```",
                block("done('ok')"));
    Recorder recorder = new Recorder();
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(model)
            .sessionId("s-1")
            .observer(recorder)
            .build()) {
      RunResult result = runtime.run("make a.txt");

      assertThat(result.finished()).isTrue();
    }

    assertThat(recorder.calls)
        .containsExactly(
            "run Test Agent s-1 make a.txt replay max=20",
            "step 1",
            "model 1 messages",
            "model ended 0",
            "block print('hi')",
            "tool write_file {path=a.txt}",
            "tool ended write_file returned",
            "tool read_file {path=missing.txt}",
            "tool ended read_file FileNotFoundError",
            "block ended OK hi",
            "step 2",
            "model 3 messages",
            "model ended 0",
            "block done('ok')",
            "block ended OK ",
            "run ended finished steps=2");
  }

  @Test
  void refusedBlocksAndFailedModelCallsAreReportedAsSuch() throws Exception {
    QueueModel model = new QueueModel().reply(block("import os"));
    Recorder recorder = new Recorder();
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir)).model(model).build()) {
      runtime.hooks().addObserver(recorder);

      RunResult result = runtime.run("try");

      assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
    }

    assertThat(recorder.calls)
        .contains("block ended REFUSED  error", "model failed no scripted reply left");
    assertThat(recorder.calls.getLast())
        .startsWith("run ended failed steps=2 model request" + " failed");
  }

  @Test
  void streamedTextIsReportedOnceAndUsageReachesTheObserver() throws Exception {
    ChatModel streaming =
        request -> {
          request.listener().onText("```python\n");
          request.listener().onText("done('x')\n```");
          return new ModelReply(
              "```python\ndone('x')\n```", StopReason.END_TURN, new Usage(10, 7, 0, 0));
        };
    Recorder recorder = new Recorder();
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir))
            .model(streaming)
            .observer(recorder)
            .build()) {
      runtime.run("stream");
    }

    assertThat(recorder.calls)
        .containsSubsequence("model 1 messages", "first text", "model ended 7");
    assertThat(recorder.calls.stream().filter("first text"::equals)).hasSize(1);
  }

  @Test
  void aFailingObserverIsReportedAndNeitherStopsTheRunNorOtherObservers() throws Exception {
    List<String> reported = new CopyOnWriteArrayList<>();
    Recorder recorder = new Recorder();
    QueueModel model = new QueueModel().reply(block("done('fine')"));
    try (AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(workDir)).model(model).build()) {
      runtime.hooks().setErrorReporter(reported::add);
      runtime
          .hooks()
          .addObserver(
              new RunObserver() {
                @Override
                public void blockStarted(String code) {
                  throw new IllegalStateException("broken observer");
                }
              });
      runtime.hooks().addObserver(recorder);

      assertThat(runtime.run("go").finished()).isTrue();
    }

    assertThat(recorder.calls).contains("block done('fine')", "run ended finished steps=1");
    assertThat(reported)
        .containsExactly(
            "a run observer failed in blockStarted:"
                + " java.lang.IllegalStateException: broken observer");
  }

  @Test
  void aCancelledObserverHearsNothingMore() throws Exception {
    HookSystem hooks = new HookSystem();
    Recorder recorder = new Recorder();
    Subscription subscription = hooks.addObserver(recorder);
    hooks.observer().stepStarted(1);
    subscription.cancel();
    subscription.cancel();
    hooks.observer().stepStarted(2);

    assertThat(recorder.calls).containsExactly("step 1");
    assertThat(hooks.observer()).isSameAs(RunObserver.NONE);
  }
}
