package dev.codepilot.model;

import java.util.Objects;

/**
 * What a model returned for one request.
 *
 * @param text the full reply text; never null, possibly empty
 * @param stopReason why the reply ended
 * @param usage token counts for this call ({@link Usage#NONE} when not reported)
 */
public record ModelReply(String text, StopReason stopReason, Usage usage) {

  /** Checks that no component is null. */
  public ModelReply {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(stopReason, "stopReason");
    Objects.requireNonNull(usage, "usage");
  }

  /** A complete reply with no usage figures. */
  public static ModelReply of(String text) {
    return new ModelReply(text, StopReason.END_TURN, Usage.NONE);
  }
}
