package dev.codepilot.model;

/**
 * Token counts reported by a provider for one call, or summed over a run.
 *
 * <p>Counts a provider does not report are zero. {@link #NONE} is the usage of a model that reports
 * nothing (the replay model).
 *
 * @param inputTokens prompt tokens billed at the normal rate
 * @param outputTokens tokens generated
 * @param cacheReadTokens prompt tokens read from the provider's prompt cache
 * @param cacheWriteTokens prompt tokens written to the provider's prompt cache
 */
public record Usage(
    long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {

  /** No tokens reported. */
  public static final Usage NONE = new Usage(0, 0, 0, 0);

  /**
   * Checks the counts.
   *
   * @throws IllegalArgumentException when a count is negative
   */
  public Usage {
    if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  /** The sum of this usage and another. */
  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cacheReadTokens + other.cacheReadTokens,
        cacheWriteTokens + other.cacheWriteTokens);
  }

  /** All prompt tokens, whether billed normally or read from or written to the cache. */
  public long totalInputTokens() {
    return inputTokens + cacheReadTokens + cacheWriteTokens;
  }

  /** True when the provider reported any count at all. */
  public boolean isReported() {
    return !equals(NONE);
  }
}
