package dev.codepilot.loop;

import dev.codepilot.config.ContextConfig;
import dev.codepilot.model.Cancellation;
import dev.codepilot.model.Message;
import dev.codepilot.model.ModelRequest;
import dev.codepilot.model.Role;
import dev.codepilot.model.StreamListener;
import dev.codepilot.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Keeps requests inside the model's window: estimates how many tokens a request holds, decides when
 * older steps should become a summary, and writes the request that asks for it.
 *
 * <p>The estimate is the provider's reported prompt tokens of the last request plus a third of a
 * token per character added or removed since; before any usage is reported, a third of a token per
 * character of the whole request. Real tokenizers give 2.4 to 4 characters per token on agent
 * transcripts (numbers and repeated output tokenize densely), so a third errs to the safe side more
 * often than the usual quarter: it summarizes a little early rather than late. It only decides when
 * to summarize, so its error shifts that moment and nothing else.
 */
final class ContextKeeper {

  /** Characters per token of the estimate, for text the provider has not counted yet. */
  static final int CHARS_PER_TOKEN = 3;

  /** The longest part of one message the summary request quotes. */
  private static final int QUOTED_RESULT_CHARS = 1_500;

  private static final int QUOTED_REPLY_CHARS = 3_000;

  static final String SUMMARY_SYSTEM_PROMPT =
      """
      You condense the earlier steps of a coding agent's session, so that the agent can go on \
      with its task in less context. The agent works by writing Python blocks that call tools; \
      each block's output came back as an [EXECUTION RESULT], and the agent can still read \
      every result in full as results[i].

      Write a summary of at most 400 words that lets the agent continue without the steps \
      themselves: the task and any instructions from the user, word for word where they \
      matter; what was done (files written, commands run, values found, Python variables and \
      functions defined); what failed and why; and what remains. Keep exact names, paths, \
      numbers and the indexes of results that hold data the agent will need. Reply with the \
      summary only.""";

  private final ContextConfig settings;
  private final int window;
  private long reportedTokens = -1;
  private long reportedChars;

  /**
   * @param settings the {@code runtime.context} settings
   * @param window the model's window in tokens
   */
  ContextKeeper(ContextConfig settings, int window) {
    this.settings = settings;
    this.window = window;
  }

  int window() {
    return window;
  }

  /** The estimated tokens of a request of {@code chars} characters. */
  long estimate(long chars) {
    if (reportedTokens < 0) {
      return ceilDiv(chars, CHARS_PER_TOKEN);
    }
    return Math.max(0, reportedTokens + Math.floorDiv(chars - reportedChars, CHARS_PER_TOKEN));
  }

  /** Learns from the usage the provider reported for a request of {@code chars} characters. */
  void observe(long chars, Usage usage) {
    if (usage.isReported() && usage.totalInputTokens() > 0) {
      reportedTokens = usage.totalInputTokens();
      reportedChars = chars;
    }
  }

  /** Whether a request of {@code chars} characters has passed {@code summarize_at}. */
  boolean overBudget(long chars) {
    return settings.enabled() && estimate(chars) > (long) (settings.summarizeAt() * window);
  }

  /**
   * Where a new summary would end: the index of the reply that starts the step of the {@code
   * keep_recent}-th latest execution result, so those steps stay as they are. Empty when that is
   * not past the newest summary's end, so there is nothing new to condense.
   */
  OptionalInt boundary(List<Message> history) {
    int previous = ContextView.latestSummary(history).map(ContextView.Summary::upTo).orElse(1);
    int seen = 0;
    for (int i = history.size() - 1; i >= 1; i--) {
      Message message = history.get(i);
      if (ContextView.isExecutionResult(message)) {
        seen++;
      } else if (seen >= settings.keepRecent() && message.role() == Role.ASSISTANT) {
        return i > previous ? OptionalInt.of(i) : OptionalInt.empty();
      }
    }
    return OptionalInt.empty();
  }

  /**
   * The request for a summary of every message before {@code upTo} but the first (the task), taking
   * in the newest earlier summary.
   */
  ModelRequest summaryRequest(List<Message> history, int upTo, Cancellation cancellation) {
    var previous = ContextView.latestSummary(history);
    int from = previous.map(ContextView.Summary::upTo).orElse(1);
    List<String> parts = new ArrayList<>();
    for (int i = from; i < upTo; i++) {
      Message message = history.get(i);
      if (ContextView.isSummaryRecord(message)) {
        continue;
      }
      boolean reply = message.role() == Role.ASSISTANT;
      parts.add(
          (reply ? "[AGENT]\n" : "")
              + quote(message.content(), reply ? QUOTED_REPLY_CHARS : QUOTED_RESULT_CHARS));
    }
    // The request itself must fit in the window: the oldest quoted messages go first.
    long budget = (long) window * CHARS_PER_TOKEN / 2;
    int dropped = 0;
    long total = parts.stream().mapToLong(String::length).sum();
    while (total > budget && dropped < parts.size() - 1) {
      total -= parts.get(dropped).length();
      dropped++;
    }
    StringBuilder text =
        new StringBuilder("The task:\n")
            .append(quote(history.get(0).content(), QUOTED_REPLY_CHARS))
            .append("\n\n");
    previous.ifPresent(
        summary ->
            text.append("The summary of the steps before these:\n")
                .append(summary.text())
                .append("\n\n"));
    text.append("The steps to condense, oldest first:\n\n");
    if (dropped > 0) {
      text.append("[").append(dropped).append(" older messages left out for length]\n\n");
    }
    text.append(String.join("\n\n", parts.subList(dropped, parts.size())));
    return new ModelRequest(
        SUMMARY_SYSTEM_PROMPT,
        List.of(Message.user(text.toString())),
        StreamListener.NONE,
        cancellation);
  }

  private static String quote(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    int head = limit;
    if (Character.isHighSurrogate(text.charAt(head - 1))) {
      head--;
    }
    return text.substring(0, head) + "\n[... " + (text.length() - head) + " chars not quoted ...]";
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
