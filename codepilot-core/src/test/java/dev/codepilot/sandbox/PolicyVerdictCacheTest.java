package dev.codepilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The checker remembers texts that passed, keyed by the text, the mode and the allowed modules: a
 * remembered pass never answers for another text, mode or allow-list, and refusals are never
 * remembered.
 */
class PolicyVerdictCacheTest {

  private static final PolicyChecker CHECKER = PolicyChecker.SHARED;

  @Test
  void aPassWithOneAllowListIsNoPassWithAnother() {
    assertThat(CHECKER.check("import json\n", "exec", "json,re").kind())
        .isEqualTo(PolicyChecker.Verdict.Kind.OK);
    PolicyChecker.Verdict other = CHECKER.check("import json\n", "exec", "re");
    assertThat(other.kind()).isEqualTo(PolicyChecker.Verdict.Kind.REJECTED);
    assertThat(other.reason()).contains("import of 'json' is not allowed");
    // And the other way round, the refusal first.
    assertThat(CHECKER.check("import math\n", "exec", "json").kind())
        .isEqualTo(PolicyChecker.Verdict.Kind.REJECTED);
    assertThat(CHECKER.check("import math\n", "exec", "json,math").kind())
        .isEqualTo(PolicyChecker.Verdict.Kind.OK);
  }

  @Test
  void aPassInOneModeIsNoPassInAnother() {
    assertThat(CHECKER.check("y = 2", "exec", "").kind()).isEqualTo(PolicyChecker.Verdict.Kind.OK);
    assertThat(CHECKER.check("y = 2", "eval", "").kind())
        .isEqualTo(PolicyChecker.Verdict.Kind.UNPARSEABLE);
  }

  @Test
  void aTextOneCharacterAwayFromOneThatPassedIsWalkedAgain() {
    String clean = "value = obj.name\n";
    String hostile = "value = obj.__class__\n";
    for (int i = 0; i < 3; i++) {
      assertThat(CHECKER.check(clean, "exec", "").kind()).isEqualTo(PolicyChecker.Verdict.Kind.OK);
      PolicyChecker.Verdict refused = CHECKER.check(hostile, "exec", "");
      assertThat(refused.kind()).isEqualTo(PolicyChecker.Verdict.Kind.REJECTED);
      assertThat(refused.reason()).contains("'__class__'");
    }
  }

  @Test
  void aRefusalIsGivenEveryTime() {
    for (int i = 0; i < 3; i++) {
      PolicyChecker.Verdict verdict = CHECKER.check("open('x')\n", "exec", "");
      assertThat(verdict.kind()).isEqualTo(PolicyChecker.Verdict.Kind.REJECTED);
      assertThat(verdict.reason()).isEqualTo("line 1: 'open' is not available in the sandbox");
    }
  }

  @Test
  void manyTextsThatPassedPushTheOldestOutButStillPass() {
    for (int i = 0; i < 600; i++) {
      assertThat(CHECKER.check("v" + i + " = " + i + "\n", "exec", "").kind())
          .isEqualTo(PolicyChecker.Verdict.Kind.OK);
    }
    assertThat(CHECKER.check("v0 = 0\n", "exec", "").kind())
        .isEqualTo(PolicyChecker.Verdict.Kind.OK);
    assertThat(CHECKER.check("v0 = __builtins__\n", "exec", "").kind())
        .isEqualTo(PolicyChecker.Verdict.Kind.REJECTED);
  }
}
