package dev.codepilot;

import static dev.codepilot.testing.TestAgents.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.ContextConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.model.StopReason;
import dev.codepilot.model.Usage;
import dev.codepilot.session.FileSession;
import dev.codepilot.testing.TestAgents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context view through a whole runtime: real blocks in GraalPy, real session files, and a
 * scripted model that keeps every request it was sent.
 */
class ContextEconomyTest {

  @TempDir Path workDir;

  @TempDir Path sessionDir;

  /**
   * Answers the agent's requests with the step's scripted block and summary requests with a
   * summary; keeps every request.
   */
  static final class ScriptedModel implements ChatModel {
    final List<ModelRequest> requests = new CopyOnWriteArrayList<>();
    final List<ModelRequest> summaryRequests = new CopyOnWriteArrayList<>();
    private final IntFunction<String> steps;
    private int step;

    ScriptedModel(IntFunction<String> steps) {
      this.steps = steps;
    }

    @Override
    public ModelReply complete(ModelRequest request) throws ModelException {
      if (request.systemPrompt().startsWith("You condense the earlier steps")) {
        summaryRequests.add(request);
        return new ModelReply(
            "Summary "
                + summaryRequests.size()
                + ": the agent printed"
                + " blocks of numbers; the fact from step 1 is in results[0].",
            StopReason.END_TURN,
            new Usage(500, 40, 0, 0));
      }
      requests.add(request);
      return new ModelReply(steps.apply(step++), StopReason.END_TURN, Usage.NONE);
    }
  }

  /** Step n (from 0) prints about 3 KB; step 0 also prints a fact; the last one reads it back. */
  static IntFunction<String> printing(int steps) {
    return n -> {
      if (n == 0) {
        return block("print('the secret is 4711')\nprint('x' * 3000)");
      }
      if (n == steps - 1) {
        return block(
            "first = results[0]\nprint(len(results), first[:24])\n"
                + "done('found: ' + first[:24])");
      }
      return block("print('step %d ' * 300)".formatted(n));
    };
  }

  private AgentRuntime runtime(
      ContextConfig context, ChatModel model, String sessionId, int maxSteps) throws Exception {
    AgentConfig base = TestAgents.config(workDir);
    AgentConfig config =
        base.withRuntime(base.runtime().withMaxSteps(maxSteps).withContext(context));
    return AgentRuntime.builder(config)
        .model(model)
        .consoleOutput(false)
        .session("file")
        .sessionId(sessionId)
        .sessionDir(sessionDir)
        .build();
  }

  private static long requestChars(List<ModelRequest> requests) {
    long total = 0;
    for (ModelRequest request : requests) {
      total += request.systemPrompt().length();
      for (Message message : request.messages()) {
        total += message.content().length();
      }
    }
    return total;
  }

  @Test
  void sixtyStepsSendFarLessAndTheFirstFactIsStillReachable() throws Exception {
    ScriptedModel viewed = new ScriptedModel(printing(60));
    RunResult result;
    try (AgentRuntime runtime = runtime(ContextConfig.DEFAULT, viewed, "viewed", 60)) {
      result = runtime.run("Print things");
    }
    ScriptedModel full = new ScriptedModel(printing(60));
    RunResult fullResult;
    try (AgentRuntime runtime = runtime(ContextConfig.DISABLED, full, "full", 60)) {
      fullResult = runtime.run("Print things");
    }

    assertThat(result.finished()).as(result.toString()).isTrue();
    assertThat(result.summary().orElseThrow()).startsWith("found: the secret is 4711");
    assertThat(fullResult.summary()).isEqualTo(result.summary());
    long viewedChars = requestChars(viewed.requests);
    long fullChars = requestChars(full.requests);
    assertThat(viewedChars)
        .as("viewed %d vs full %d", viewedChars, fullChars)
        .isLessThan(fullChars / 2);
    assertThat(result.savedInputTokens()).isGreaterThan((fullChars - viewedChars) / 3 * 9 / 10);
    assertThat(fullResult.savedInputTokens()).isZero();
    // The last request shows the first result cut, naming where its full text is.
    String first = viewed.requests.get(59).messages().get(2).content();
    assertThat(first)
        .startsWith("[EXECUTION RESULT]\nthe secret is 4711")
        .endsWith("chars cut; the full text is results[0] ...]");
    assertThat(viewed.summaryRequests).isEmpty();
  }

  @Test
  void aResumedSessionSendsWhatTheUninterruptedOneSent() throws Exception {
    ContextConfig keep2 = new ContextConfig(true, 2, 40, OptionalInt.empty(), 0.75);
    IntFunction<String> steps =
        n -> n == 12 ? block("done('ok')") : block("print('line %d ' * 40)".formatted(n));

    ScriptedModel straight = new ScriptedModel(steps);
    try (AgentRuntime runtime = runtime(keep2, straight, "straight", 12)) {
      assertThat(runtime.run("first task").outcome()).isEqualTo(RunResult.Outcome.MAX_STEPS);
      assertThat(runtime.run("second task").finished()).isTrue();
    }

    ScriptedModel interrupted = new ScriptedModel(steps);
    try (AgentRuntime runtime = runtime(keep2, interrupted, "resumed", 12)) {
      runtime.run("first task");
    }
    ScriptedModel resumed = new ScriptedModel(n -> steps.apply(n + 12));
    try (AgentRuntime runtime = runtime(keep2, resumed, "resumed", 12)) {
      assertThat(runtime.run("second task").finished()).isTrue();
    }

    ModelRequest expected = straight.requests.get(12);
    ModelRequest actual = resumed.requests.get(0);
    assertThat(actual.systemPrompt()).isEqualTo(expected.systemPrompt());
    assertThat(actual.messages()).isEqualTo(expected.messages());
    assertThat(actual.stablePrefix()).isEqualTo(expected.stablePrefix()).isPositive();
    assertThat(actual.messages().toString()).contains("the full text is results[9]");
  }

  @Test
  void pastTheShareOfTheWindowOlderStepsBecomeASummaryStoredOnce() throws Exception {
    // A 6000-token window, summarized past half of it: about 12 KB of request.
    ContextConfig small = new ContextConfig(true, 3, 100, OptionalInt.of(6000), 0.5);
    ScriptedModel model =
        new ScriptedModel(
            n -> n == 39 ? block("done('ok')") : block("print('row %d ' * 200)".formatted(n)));
    List<Event.ContextCondensed> condensed = new CopyOnWriteArrayList<>();
    List<Message> history;
    try (AgentRuntime runtime = runtime(small, model, "condensed", 40)) {
      runtime.hooks().on(Event.ContextCondensed.class, condensed::add);
      RunResult result = runtime.run("Print rows");
      assertThat(result.finished()).isTrue();
      // The summaries' tokens count in the run's usage.
      assertThat(result.usage().inputTokens()).isEqualTo(500L * model.summaryRequests.size());
      history = runtime.messages();
    }

    assertThat(model.summaryRequests).isNotEmpty();
    assertThat(condensed).hasSameSizeAs(model.summaryRequests);
    assertThat(condensed).allSatisfy(c -> assertThat(c.afterTokens()).isLessThan(c.beforeTokens()));
    // Every request stayed inside the window, and the summary replaced the older steps.
    for (ModelRequest request : model.requests) {
      assertThat(requestChars(List.of(request)) / 3).isLessThan(6000);
    }
    ModelRequest last = model.requests.get(model.requests.size() - 1);
    assertThat(last.messages().get(1).content())
        .contains("[SUMMARY OF EARLIER STEPS]")
        .contains("Summary " + model.summaryRequests.size() + ":");
    // The session file keeps every message, the summaries as their own records.
    List<Message> saved = FileSession.readMessages(sessionDir, "condensed").orElseThrow();
    assertThat(saved).isEqualTo(history);
    assertThat(saved.stream().filter(m -> m.content().startsWith("[EXECUTION RESULT]")))
        .hasSize(40);
    assertThat(saved.stream().filter(m -> m.content().startsWith("[CONTEXT SUMMARY up to ")))
        .hasSameSizeAs(model.summaryRequests);

    // Resumed, the stored summary is used as it is: no new summary request for the next step.
    ScriptedModel next = new ScriptedModel(n -> block("done('again')"));
    try (AgentRuntime runtime = runtime(small, next, "condensed", 5)) {
      assertThat(runtime.run("One more").finished()).isTrue();
    }
    assertThat(next.summaryRequests).isEmpty();
    assertThat(next.requests.get(0).messages().get(1)).isEqualTo(last.messages().get(1));
  }

  @Test
  void threeHundredStepsNeverPassTheWindow() throws Exception {
    ContextConfig small = new ContextConfig(true, 5, 300, OptionalInt.of(12_000), 0.75);
    ScriptedModel model =
        new ScriptedModel(
            n -> n == 299 ? block("done('ok')") : block("print('value %d ' * 250)".formatted(n)));
    try (AgentRuntime runtime = runtime(small, model, "long", 300)) {
      assertThat(runtime.run("A long task").finished()).isTrue();
    }
    long largest = 0;
    for (ModelRequest request : model.requests) {
      largest = Math.max(largest, requestChars(List.of(request)));
    }
    assertThat(largest / 3).isLessThan(12_000);
    assertThat(model.summaryRequests).isNotEmpty();
  }

  @Test
  void resultsIsReadOnlyAndSupportsIndexesSlicesAndLen() throws Exception {
    List<String> outputs = new ArrayList<>();
    ScriptedModel model =
        new ScriptedModel(
            n ->
                switch (n) {
                  case 0 -> block("print('alpha')");
                  case 1 -> block("print('beta')");
                  case 2 ->
                      block(
                          "print(len(results), results[-1], results[0:2], list(results)[0])\n"
                              + "try:\n    results[0] = 'x'\nexcept TypeError as e:\n    print('TypeError')\n"
                              + "try:\n    results[7]\nexcept IndexError as e:\n    print(e)\n"
                              + "try:\n    results['a']\nexcept TypeError as e:\n    print(e)\n"
                              + "results = 5");
                  case 3 -> block("print(type(results).__name__ if False else repr(results))");
                  default -> block("done('ok')");
                });
    try (AgentRuntime runtime = runtime(ContextConfig.DEFAULT, model, "results", 6)) {
      runtime.onToolResult(e -> {});
      assertThat(runtime.run("Use results").finished()).isTrue();
      for (Message message : runtime.messages()) {
        if (message.content().startsWith("[EXECUTION RESULT]")) {
          outputs.add(message.content());
        }
      }
    }
    assertThat(outputs.get(2))
        .isEqualTo(
            "[EXECUTION RESULT]\n2 beta ['alpha', 'beta'] alpha\n"
                + "TypeError\nresults index out of range (there are 2 results)\n"
                + "results indices must be integers or slices, not str");
    // Rebound in every block, whatever the block before did with the name.
    assertThat(outputs.get(3))
        .isEqualTo(
            "[EXECUTION RESULT]\n<results: the full text of this"
                + " session's 3 execution results; results[-1] is the latest>");
  }
}
