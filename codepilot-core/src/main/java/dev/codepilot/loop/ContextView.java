package dev.codepilot.loop;

import dev.codepilot.config.ContextConfig;
import dev.codepilot.model.Message;
import dev.codepilot.model.Role;
import dev.codepilot.session.Transcript;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one model request carries of the history: a view derived from the full history and the
 * {@code runtime.context} settings alone, so the same history and settings always give the same
 * request, and a resumed session sends exactly what an uninterrupted one would have sent.
 *
 * <p>In the view, execution results older than the latest {@code keep_recent} are cut to {@code
 * result_chars} characters and a marker naming {@code results[i]}, where the block can still read
 * the full text. Results are cut in batches of {@code keep_recent}: between two batches the view
 * only grows at its end, so the request's prefix stays the same from step to step and the
 * provider's prompt cache keeps working; it changes once every {@code keep_recent} steps. Replies
 * (the code) are never cut: they are the agent's memory of what it did.
 *
 * <p>When the history holds a summary record ({@link #summaryRecord}), the messages it replaces
 * (all but the first, up to the record's boundary) are left out and the summary takes their place.
 * Summary records themselves never go out where they are stored.
 */
public final class ContextView {

  /** Starts a summary record; the boundary follows: {@code [CONTEXT SUMMARY up to 41]}. */
  static final String SUMMARY_TAG = Transcript.Kind.SUMMARY.tag();

  private static final Pattern SUMMARY_HEADER =
      Pattern.compile("\\A\\[CONTEXT SUMMARY up to (\\d+)]\n");

  /** What a summary says in the view, before its text. */
  static final String SUMMARY_INTRO =
      "[SUMMARY OF EARLIER STEPS]\nThe steps between the task"
          + " above and the next message were condensed into this summary; every execution result"
          + " is still in full in `results`.\n\n";

  /** Characters of a cut that are not worth a marker: shorter results go out whole. */
  private static final int MIN_CUT = 80;

  /**
   * The view and what it left out.
   *
   * @param messages what the request carries, oldest first
   * @param stablePrefix how many of the leading {@code messages} stay the same until the next batch
   *     is cut (0 when nothing is cut): a good place for a cache breakpoint
   * @param fullChars the characters of the whole history, as the original would send it
   * @param viewChars the characters of {@code messages}
   */
  public record View(List<Message> messages, int stablePrefix, long fullChars, long viewChars) {}

  private ContextView() {}

  /** Whether {@code message} is a summary record rather than a message of the conversation. */
  public static boolean isSummaryRecord(Message message) {
    return message.role() == Role.USER && message.content().startsWith(SUMMARY_TAG);
  }

  /**
   * A summary record: the summary of every message of the history before index {@code upTo} except
   * the first.
   */
  static Message summaryRecord(int upTo, String summary) {
    return Message.user(SUMMARY_TAG + upTo + "]\n" + summary);
  }

  /**
   * The full texts of the history's execution results, oldest first, without their tag. The list is
   * read-only and lazy: a text is taken out of its message only when asked for, so a block that
   * reads one result of five hundred costs one.
   */
  public static List<String> results(List<Message> history) {
    List<Message> messages = List.copyOf(history);
    int[] positions = new int[messages.size()];
    int count = 0;
    for (int i = 0; i < messages.size(); i++) {
      if (isExecutionResult(messages.get(i))) {
        positions[count++] = i;
      }
    }
    int size = count;
    return new AbstractList<>() {
      @Override
      public String get(int index) {
        Objects.checkIndex(index, size);
        return messages
            .get(positions[index])
            .content()
            .substring(AgentLoop.EXECUTION_RESULT.length());
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** The view of {@code history} under {@code settings}. */
  public static View of(List<Message> history, ContextConfig settings) {
    long fullChars = 0;
    for (Message message : history) {
      if (!isSummaryRecord(message)) {
        fullChars += message.content().length();
      }
    }
    if (!settings.enabled()) {
      List<Message> all = history.stream().filter(m -> !isSummaryRecord(m)).toList();
      return new View(all, 0, fullChars, fullChars);
    }
    int resultCount = 0;
    for (Message message : history) {
      if (isExecutionResult(message)) {
        resultCount++;
      }
    }
    int batch = settings.keepRecent();
    // Results before this index are cut; it moves by whole batches, keeping between
    // keep_recent and 2 * keep_recent - 1 of the latest results whole.
    int cutBefore = Math.max(0, (resultCount - batch) / batch * batch);

    Optional<Summary> summary = latestSummary(history);
    List<Message> view = new ArrayList<>(history.size());
    boolean summaryAdded = summary.isEmpty();
    int stablePrefix = 0;
    int resultIndex = 0;
    for (int i = 0; i < history.size(); i++) {
      Message message = history.get(i);
      if (isSummaryRecord(message)) {
        continue;
      }
      boolean result = isExecutionResult(message);
      if (summary.isPresent() && i >= 1 && i < summary.get().upTo()) {
        resultIndex += result ? 1 : 0;
        continue;
      }
      if (!summaryAdded && i >= 1) {
        view.add(summaryMessage(summary.get()));
        summaryAdded = true;
        stablePrefix = view.size();
      }
      if (result && resultIndex < cutBefore) {
        view.add(cut(message, resultIndex, settings.resultChars()));
        stablePrefix = view.size();
      } else {
        view.add(message);
      }
      resultIndex += result ? 1 : 0;
    }
    if (!summaryAdded && !view.isEmpty()) {
      view.add(summaryMessage(summary.get()));
      stablePrefix = view.size();
    }
    long viewChars = 0;
    for (Message message : view) {
      viewChars += message.content().length();
    }
    return new View(List.copyOf(view), stablePrefix, fullChars, viewChars);
  }

  private static Message summaryMessage(Summary summary) {
    return Message.user(SUMMARY_INTRO + summary.text());
  }

  /** Whether {@code message} is an execution result of a block. */
  static boolean isExecutionResult(Message message) {
    return message.role() == Role.USER && message.content().startsWith(AgentLoop.EXECUTION_RESULT);
  }

  private static Message cut(Message message, int index, int keep) {
    String body = message.content().substring(AgentLoop.EXECUTION_RESULT.length());
    if (body.length() - keep < MIN_CUT) {
      return message;
    }
    int head = keep;
    if (head > 0 && Character.isHighSurrogate(body.charAt(head - 1))) {
      head--;
    }
    return Message.user(
        AgentLoop.EXECUTION_RESULT
            + body.substring(0, head)
            + (head > 0 ? "\n" : "")
            + "[... "
            + (body.length() - head)
            + " chars cut; the full text is results["
            + index
            + "] ...]");
  }

  /** The newest summary record of the history and where its summary applies. */
  static Optional<Summary> latestSummary(List<Message> history) {
    for (int i = history.size() - 1; i >= 0; i--) {
      Message message = history.get(i);
      if (isSummaryRecord(message)) {
        Matcher header = SUMMARY_HEADER.matcher(message.content());
        if (header.find()) {
          int upTo;
          try {
            upTo = Integer.parseInt(header.group(1));
          } catch (NumberFormatException e) {
            continue;
          }
          if (upTo >= 1 && upTo <= i) {
            return Optional.of(new Summary(upTo, message.content().substring(header.end())));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** A summary of the history's messages 1 to {@code upTo - 1}. */
  record Summary(int upTo, String text) {}
}
