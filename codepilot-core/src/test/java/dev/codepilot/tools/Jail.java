package dev.codepilot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;

/**
 * Whether the confined tests can run: they skip where bubblewrap does not work, unless {@code
 * CODEPILOT_REQUIRE_BWRAP=1} (set in CI), where they fail instead.
 */
final class Jail {

  private Jail() {}

  static void assumeAvailable() {
    CommandJail.Status status = CommandJail.status();
    if ("1".equals(System.getenv("CODEPILOT_REQUIRE_BWRAP"))) {
      assertThat(status.available())
          .as("CODEPILOT_REQUIRE_BWRAP=1, but: " + status.detail())
          .isTrue();
    }
    Assumptions.assumeTrue(status.available(), status.detail());
  }
}
