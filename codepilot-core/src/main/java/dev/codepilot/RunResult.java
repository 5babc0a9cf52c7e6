package dev.codepilot;

import dev.codepilot.model.Usage;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one {@link AgentRuntime#run(String)} ended.
 *
 * @param outcome why the run stopped
 * @param summary what the agent passed to {@code done()}; present only when {@link
 *     Outcome#FINISHED}
 * @param steps how many steps ran
 * @param usage tokens used by the run's model calls ({@link Usage#NONE} when not reported)
 * @param duration wall time of the run
 * @param error for {@link Outcome#FAILED}, what failed
 * @param savedInputTokens an estimate of the prompt tokens the context view kept out of the run's
 *     requests, against sending every message in full
 */
public record RunResult(
    Outcome outcome,
    Optional<String> summary,
    int steps,
    Usage usage,
    Duration duration,
    Optional<String> error,
    long savedInputTokens) {

  /** Why a run stopped. */
  public enum Outcome {
    /** The agent called {@code done()}. */
    FINISHED,
    /** The run reached its step limit. */
    MAX_STEPS,
    /** {@link AgentRuntime#abort()} stopped it. */
    ABORTED,
    /** The model failed for good; {@link RunResult#error()} says how. */
    FAILED
  }

  /** Checks that no component is null. */
  public RunResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(error, "error");
    if (savedInputTokens < 0) {
      throw new IllegalArgumentException("savedInputTokens must not be negative");
    }
  }

  /** A result with no tokens saved. */
  public RunResult(
      Outcome outcome,
      Optional<String> summary,
      int steps,
      Usage usage,
      Duration duration,
      Optional<String> error) {
    this(outcome, summary, steps, usage, duration, error, 0);
  }

  /** True when the agent called {@code done()}. */
  public boolean finished() {
    return outcome == Outcome.FINISHED;
  }
}
