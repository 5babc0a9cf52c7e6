package dev.codepilot.loop;

import dev.codepilot.model.Usage;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one {@link AgentLoop#run} ended, in the loop's own terms; the runtime turns it into the
 * public {@code RunResult}, so the loop never reaches up into the package above it.
 *
 * @param ending why the run stopped
 * @param summary what the agent passed to {@code done()}; only for {@link Ending#FINISHED}
 * @param steps how many steps ran
 * @param usage tokens used by the run's model calls
 * @param duration wall time of the run
 * @param error for {@link Ending#FAILED}, what failed
 * @param savedInputTokens prompt tokens the context view kept out of the run's requests
 */
public record LoopResult(
    Ending ending,
    Optional<String> summary,
    int steps,
    Usage usage,
    Duration duration,
    Optional<String> error,
    long savedInputTokens) {

  /** Why a run stopped. */
  public enum Ending {
    /** The agent called {@code done()}. */
    FINISHED,
    /** The run reached its step limit. */
    MAX_STEPS,
    /** An abort stopped it. */
    ABORTED,
    /** The model or the session failed for good. */
    FAILED
  }

  /** Checks that no component is null. */
  public LoopResult {
    Objects.requireNonNull(ending, "ending");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(error, "error");
  }
}
