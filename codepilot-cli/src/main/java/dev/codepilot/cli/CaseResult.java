package dev.codepilot.cli;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one attempt at one case went.
 *
 * @param name the case's name
 * @param index the case's position in the suite, from 0
 * @param attempt which attempt this was, from 1 (more than one with {@code --repeat})
 * @param failures every expectation that did not hold, explained; empty when it passed
 * @param outcome how the last run ended, in lower case ({@code finished}, {@code max_steps}, {@code
 *     aborted}, {@code failed}), or {@code error} when it could not run
 * @param summary what the agent passed to {@code done()}, if it did
 * @param steps steps over all of the case's tasks
 * @param tokensIn input tokens the model reported
 * @param tokensOut output tokens the model reported
 * @param seconds wall time of the case, runs and checks
 * @param workDir the case's work_dir when it was kept ({@code --keep})
 * @param transcript the conversation, oldest first
 */
record CaseResult(
    String name,
    int index,
    int attempt,
    List<String> failures,
    String outcome,
    Optional<String> summary,
    int steps,
    long tokensIn,
    long tokensOut,
    double seconds,
    Optional<String> workDir,
    List<Entry> transcript) {

  /** Copies the lists. */
  public CaseResult {
    Objects.requireNonNull(name, "name");
    failures = List.copyOf(failures);
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(workDir, "workDir");
    transcript = List.copyOf(transcript);
  }

  /** True when every expectation held. */
  public boolean passed() {
    return failures.isEmpty();
  }

  /** Input and output tokens together. */
  public long tokens() {
    return tokensIn + tokensOut;
  }

  /**
   * One message of the conversation.
   *
   * @param role {@code system}, {@code user} or {@code assistant}
   * @param content the message's text
   */
  public record Entry(String role, String content) {}
}
