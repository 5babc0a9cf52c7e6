package dev.codepilot.model;

import java.util.Objects;

/**
 * One entry of the conversation history: a role and its text, exactly as the model sees it.
 *
 * <p>Messages are stored in session files as plain {@code {"role": ..., "content": ...}} objects so
 * that other tools can read them.
 *
 * @param role who wrote the message; never null
 * @param content the full text; never null
 */
public record Message(Role role, String content) {

  /** Checks that neither component is null. */
  public Message {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  /** A message written by the user or the runtime (tasks, execution results, injected messages). */
  public static Message user(String content) {
    return new Message(Role.USER, content);
  }

  /** A reply written by the model. */
  public static Message assistant(String content) {
    return new Message(Role.ASSISTANT, content);
  }
}
