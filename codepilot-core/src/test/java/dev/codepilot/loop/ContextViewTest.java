package dev.codepilot.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.config.ContextConfig;
import dev.codepilot.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ContextViewTest {

  private static final ContextConfig KEEP_3 =
      new ContextConfig(true, 3, 50, OptionalInt.empty(), 0.75);

  /** A history of {@code steps} steps after the task, each result 1000 chars naming its step. */
  static List<Message> history(int steps) {
    List<Message> history = new ArrayList<>();
    history.add(Message.user(AgentLoop.USER_INPUT + "the task"));
    for (int step = 0; step < steps; step++) {
      history.add(Message.assistant("```python\nprint(step_" + step + "())\n```"));
      history.add(
          Message.user(
              AgentLoop.EXECUTION_RESULT
                  + ("result " + step + " ").repeat(200).substring(0, 1000)));
    }
    return history;
  }

  @Test
  void olderResultsAreCutInBatchesAndNameTheirFullText() {
    ContextView.View view = ContextView.of(history(7), KEEP_3);

    // 7 results, batches of 3: the first 3 are cut, the last 4 go out whole.
    List<Message> results =
        view.messages().stream().filter(ContextView::isExecutionResult).toList();
    assertThat(results).hasSize(7);
    for (int i = 0; i < 3; i++) {
      assertThat(results.get(i).content())
          .isEqualTo(
              AgentLoop.EXECUTION_RESULT
                  + ("result " + i + " ").repeat(200).substring(0, 50)
                  + "\n[... 950 chars cut; the full text is results["
                  + i
                  + "] ...]");
    }
    for (int i = 3; i < 7; i++) {
      assertThat(results.get(i).content()).hasSize(AgentLoop.EXECUTION_RESULT.length() + 1000);
    }
    // Replies are never cut.
    assertThat(view.messages().stream().filter(m -> !ContextView.isExecutionResult(m)))
        .containsExactlyElementsOf(
            history(7).stream().filter(m -> !ContextView.isExecutionResult(m)).toList());
    // The stable prefix ends after the last cut result (task, then 3 steps).
    assertThat(view.stablePrefix()).isEqualTo(7);
    assertThat(view.fullChars()).isGreaterThan(view.viewChars());
  }

  @Test
  void thePrefixChangesOnlyOnceABatch() {
    int breaks = 0;
    List<Message> previous = List.of();
    for (int steps = 1; steps <= 30; steps++) {
      List<Message> request = ContextView.of(history(steps), KEEP_3).messages();
      if (!startsWith(request, previous)) {
        breaks++;
      }
      previous = request;
    }
    // A cut every 3 steps, from step 6 on: 6, 9, ..., 30.
    assertThat(breaks).isEqualTo(9);
  }

  @Test
  void theSameHistoryGivesTheSameView() {
    assertThat(ContextView.of(history(12), KEEP_3)).isEqualTo(ContextView.of(history(12), KEEP_3));
  }

  @Test
  void shortResultsAndTheLatestOnesGoOutWhole() {
    List<Message> history = new ArrayList<>(history(2));
    for (int step = 0; step < 8; step++) {
      history.add(Message.assistant("```python\nprint(1)\n```"));
      history.add(Message.user(AgentLoop.EXECUTION_RESULT + "1"));
    }
    ContextView.View view = ContextView.of(history, KEEP_3);
    // The two long results are old enough to be cut; the short ones are not worth a marker.
    assertThat(view.messages().get(2).content()).contains("the full text is results[0]");
    assertThat(view.messages().get(4).content()).contains("the full text is results[1]");
    assertThat(view.messages().subList(5, view.messages().size()))
        .containsExactlyElementsOf(history.subList(5, history.size()));
  }

  @Test
  void disabledSendsEverythingInFull() {
    List<Message> history = new ArrayList<>(history(12));
    history.add(ContextView.summaryRecord(5, "a summary"));
    ContextView.View view = ContextView.of(history, ContextConfig.DISABLED);
    assertThat(view.messages()).containsExactlyElementsOf(history(12));
    assertThat(view.viewChars()).isEqualTo(view.fullChars());
  }

  @Test
  void aSummaryReplacesTheStepsBeforeItsBoundaryButNotTheTask() {
    List<Message> history = new ArrayList<>(history(14));
    // Replaces messages 1..14 (the first 7 steps); stored after step 14.
    history.add(ContextView.summaryRecord(15, "steps 0 to 6 printed their results"));
    history.add(Message.assistant("```python\nprint(results[0][:8])\n```"));
    history.add(Message.user(AgentLoop.EXECUTION_RESULT + "result 0"));

    ContextView.View view = ContextView.of(history, KEEP_3);
    List<Message> messages = view.messages();
    assertThat(messages.get(0)).isEqualTo(history.get(0));
    assertThat(messages.get(1).content())
        .isEqualTo(ContextView.SUMMARY_INTRO + "steps 0 to 6 printed their results");
    assertThat(messages.get(2)).isEqualTo(history.get(15));
    assertThat(messages).noneMatch(ContextView::isSummaryRecord);
    assertThat(messages).hasSize(2 + 2 * 8);
    // 15 results: 0..11 are before the batch boundary; 7..11 are in the view, cut, and named
    // by their index in the whole history.
    assertThat(messages.get(3).content()).contains("the full text is results[7]");
    assertThat(messages.get(11).content()).contains("the full text is results[11]");
    assertThat(messages.get(13)).isEqualTo(history.get(26));
    assertThat(view.stablePrefix()).isEqualTo(12);
    assertThat(ContextView.results(history)).hasSize(15);
  }

  @Test
  void theNewestSummaryWins() {
    List<Message> history = new ArrayList<>(history(10));
    history.add(ContextView.summaryRecord(5, "first"));
    history.add(ContextView.summaryRecord(9, "second"));
    List<Message> messages = ContextView.of(history, KEEP_3).messages();
    assertThat(messages.get(1).content()).endsWith("second");
    assertThat(messages.get(2)).isEqualTo(history.get(9));
  }

  private static boolean startsWith(List<Message> list, List<Message> prefix) {
    return list.size() >= prefix.size() && list.subList(0, prefix.size()).equals(prefix);
  }
}
