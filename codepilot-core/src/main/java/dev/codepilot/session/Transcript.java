package dev.codepilot.session;

import dev.codepilot.model.Message;
import dev.codepilot.model.Role;
import java.util.List;
import java.util.Objects;

/**
 * A read-only, typed view of a session's history: each message as an {@link Entry} saying what it
 * is (a task, a model reply, an execution result, a message sent during a run) with its text
 * stripped of the tag the model sees.
 *
 * <pre>{@code
 * Transcript transcript = Transcript.of(runtime.messages());
 * for (Transcript.Entry entry : transcript.entries()) {
 *   System.out.println(entry.kind().heading() + ": " + entry.text());
 * }
 * }</pre>
 *
 * <p>The tags are those of the wire between model and runtime: a task is stored as {@code [USER
 * INPUT]\n<task>}, what a block printed and its tools returned as {@code [EXECUTION
 * RESULT]\n<text>}, a message sent with {@code sendMessage} as {@code [USER MESSAGE]\n<text>}; the
 * model's replies are stored verbatim. A summary of older steps, written by the model when the
 * context view condensed them, is stored as {@code [CONTEXT SUMMARY up to N]\n<summary>}: it
 * replaces messages 1 to N-1 in later requests, while the history keeps them.
 */
public final class Transcript {

  /** What one message of the history is. */
  public enum Kind {
    /** A task given to {@code run(task)}. */
    TASK("USER INPUT", "[USER INPUT]\n", Role.USER),
    /** The model's reply, verbatim: its text and its fenced code blocks. */
    REPLY("ASSISTANT", "", Role.ASSISTANT),
    /** What the runtime fed back after a step: printed output and the tools' results. */
    EXECUTION_RESULT("EXECUTION RESULT", "[EXECUTION RESULT]\n", Role.USER),
    /** A message sent with {@code sendMessage} while the agent worked. */
    USER_MESSAGE("USER MESSAGE", "[USER MESSAGE]\n", Role.USER),
    /**
     * A summary of older steps that requests carry in their place; its tag is followed by the index
     * it summarizes up to and {@code "]\n"}, so {@link #message} does not make one.
     */
    SUMMARY("CONTEXT SUMMARY", "[CONTEXT SUMMARY up to ", Role.USER),
    /** A user message with none of the tags above (written by other code into the session). */
    OTHER("USER", "", Role.USER);

    private final String heading;
    private final String tag;
    private final Role role;

    Kind(String heading, String tag, Role role) {
      this.heading = heading;
      this.tag = tag;
      this.role = role;
    }

    /** A short upper-case name for display, for example {@code "EXECUTION RESULT"}. */
    public String heading() {
      return heading;
    }

    /**
     * The prefix that marks a message of this kind in the history, newline included, for example
     * {@code "[USER INPUT]\n"}; empty for {@link #REPLY} and {@link #OTHER}.
     */
    public String tag() {
      return tag;
    }

    /**
     * A message of this kind holding {@code text}: the tag followed by the text.
     *
     * @throws UnsupportedOperationException for {@link #SUMMARY}, whose records only the runtime
     *     writes
     */
    public Message message(String text) {
      Objects.requireNonNull(text, "text");
      if (this == SUMMARY) {
        throw new UnsupportedOperationException("summary records are written by the runtime");
      }
      return new Message(role, tag + text);
    }
  }

  /**
   * One message of the history.
   *
   * @param kind what the message is
   * @param text its text without the tag
   * @param message the message as stored
   */
  public record Entry(Kind kind, String text, Message message) {
    /** Checks that no component is null. */
    public Entry {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(message, "message");
    }
  }

  private final List<Entry> entries;

  private Transcript(List<Entry> entries) {
    this.entries = entries;
  }

  /** The transcript of a history, oldest first (for example {@code Session.load()}). */
  public static Transcript of(List<Message> messages) {
    return new Transcript(
        Objects.requireNonNull(messages, "messages").stream().map(Transcript::entry).toList());
  }

  /** Every entry, oldest first. */
  public List<Entry> entries() {
    return entries;
  }

  /** The entries of one kind, oldest first. */
  public List<Entry> entries(Kind kind) {
    Objects.requireNonNull(kind, "kind");
    return entries.stream().filter(entry -> entry.kind() == kind).toList();
  }

  /** How many messages the history holds. */
  public int size() {
    return entries.size();
  }

  /** Classifies one message by its role and tag. */
  public static Entry entry(Message message) {
    Objects.requireNonNull(message, "message");
    if (message.role() == Role.ASSISTANT) {
      return new Entry(Kind.REPLY, message.content(), message);
    }
    String content = message.content();
    int headerEnd = content.indexOf("]\n");
    if (content.startsWith(Kind.SUMMARY.tag()) && headerEnd > 0) {
      return new Entry(Kind.SUMMARY, content.substring(headerEnd + 2), message);
    }
    for (Kind kind : List.of(Kind.TASK, Kind.EXECUTION_RESULT, Kind.USER_MESSAGE)) {
      if (message.content().startsWith(kind.tag())) {
        return new Entry(kind, message.content().substring(kind.tag().length()), message);
      }
    }
    return new Entry(Kind.OTHER, message.content(), message);
  }
}
