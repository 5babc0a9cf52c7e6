package dev.codepilot.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The author of a {@link Message}. Serialised in lower case, as the providers' APIs spell it. */
public enum Role {
  /** The user, or the runtime speaking for it: tasks, execution results, injected messages. */
  USER,
  /** The model: its replies, verbatim. */
  ASSISTANT;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The wire name: {@code "user"} or {@code "assistant"}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** Parses a wire name; throws {@link IllegalArgumentException} naming the bad value. */
  @JsonCreator
  public static Role fromWireName(String name) {
    for (Role role : values()) {
      if (role.wireName().equals(name)) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "unknown role '" + name + "' (expected 'user' or 'assistant')");
  }
}
