package dev.codepilot.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.RunResult.Outcome;
import dev.codepilot.hooks.EventType;

/** What a hostile block must lead to, besides escaping nothing. */
enum Expect {
  /** The policy refuses it: SECURITY_ERROR, and nothing of it runs. */
  REJECTED,
  /** It runs and fails against the wall, a tool's check or the watchdog: RUNTIME_ERROR. */
  FAILS,
  /** It runs to its end; what it tried had no effect outside. */
  RUNS,
  /** Refused by the policy or failing at run time, whichever comes first. */
  REFUSED_OR_FAILS;

  void check(HostileFixture.Attack attack) {
    var step = attack.firstStep();
    switch (this) {
      case REJECTED -> {
        assertThat(step).contains(EventType.SECURITY_ERROR).doesNotContain(EventType.RUNTIME_ERROR);
        assertThat(attack.feedback()).startsWith("[EXECUTION RESULT]\nSECURITY ERROR: ");
      }
      case FAILS -> {
        assertThat(step).contains(EventType.RUNTIME_ERROR).doesNotContain(EventType.SECURITY_ERROR);
      }
      case RUNS ->
          assertThat(step).doesNotContain(EventType.RUNTIME_ERROR, EventType.SECURITY_ERROR);
      case REFUSED_OR_FAILS ->
          assertThat(step).containsAnyOf(EventType.RUNTIME_ERROR, EventType.SECURITY_ERROR);
    }
    // The run went on: the done() of the next step was honoured.
    assertThat(attack.result().outcome()).as(attack.feedback()).isEqualTo(Outcome.FINISHED);
    assertThat(attack.result().summary()).contains(HostileFixture.SURVIVED);
    assertThat(attack.result().steps()).isEqualTo(2);
  }
}
