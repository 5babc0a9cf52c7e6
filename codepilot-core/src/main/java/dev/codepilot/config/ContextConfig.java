package dev.codepilot.config;

import java.util.OptionalInt;

/**
 * The agent file's {@code runtime.context} section: how much of the history each model request
 * carries. The session always keeps every message; a request carries a view of it in which older
 * execution results are cut (their full text stays reachable in blocks as {@code results[i]}) and,
 * past {@code summarizeAt} of the window, the oldest steps are replaced by a summary the model
 * writes.
 *
 * @param enabled false: every message goes out in full, as the Python original does
 * @param keepRecent how many of the latest execution results go out whole, default 5
 * @param resultChars how many characters of an older execution result go out, default 300
 * @param windowTokens the model's context window; empty for the provider's known value
 * @param summarizeAt the share of the window past which older steps become a summary, default 0.75;
 *     1.0 or more never summarizes
 */
public record ContextConfig(
    boolean enabled,
    int keepRecent,
    int resultChars,
    OptionalInt windowTokens,
    double summarizeAt) {

  public static final int DEFAULT_KEEP_RECENT = 5;
  public static final int DEFAULT_RESULT_CHARS = 300;
  public static final double DEFAULT_SUMMARIZE_AT = 0.75;

  /** The defaults: the view on, the window taken from the model's name. */
  public static final ContextConfig DEFAULT =
      new ContextConfig(
          true,
          DEFAULT_KEEP_RECENT,
          DEFAULT_RESULT_CHARS,
          OptionalInt.empty(),
          DEFAULT_SUMMARIZE_AT);

  /** Every message in full on every request, never a summary: the original's behaviour. */
  public static final ContextConfig DISABLED =
      new ContextConfig(
          false,
          DEFAULT_KEEP_RECENT,
          DEFAULT_RESULT_CHARS,
          OptionalInt.empty(),
          DEFAULT_SUMMARIZE_AT);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException when {@code keepRecent} is below 1, {@code resultChars} below
   *     0, {@code windowTokens} below 1000, or {@code summarizeAt} not above 0
   */
  public ContextConfig {
    if (keepRecent < 1) {
      throw new IllegalArgumentException("keepRecent must be at least 1");
    }
    if (resultChars < 0) {
      throw new IllegalArgumentException("resultChars must not be negative");
    }
    if (windowTokens == null) {
      throw new NullPointerException("windowTokens");
    }
    if (windowTokens.isPresent() && windowTokens.getAsInt() < 1000) {
      throw new IllegalArgumentException("windowTokens must be at least 1000");
    }
    if (!(summarizeAt > 0)) {
      throw new IllegalArgumentException("summarizeAt must be above 0");
    }
  }
}
