package dev.codepilot.model;

/** Why the model stopped writing a reply. */
public enum StopReason {
  /** The model finished its reply. */
  END_TURN,
  /** The reply was cut off by the {@code max_tokens} limit; it must not be executed as is. */
  MAX_TOKENS,
  /** Any other reason the provider reported (a stop sequence, a content filter). */
  OTHER
}
