package dev.codepilot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LastComputedTest {

  @Test
  void computesAgainOnlyWhenTheKeyIsNoLongerEqual() {
    List<List<String>> computed = new ArrayList<>();
    LastComputed<List<String>, String> joined =
        new LastComputed<>(
            key -> {
              computed.add(key);
              return String.join("+", key);
            });

    assertThat(joined.get(List.of("a", "b"))).isEqualTo("a+b");
    assertThat(joined.get(new ArrayList<>(List.of("a", "b")))).isEqualTo("a+b");
    assertThat(joined.get(List.of("a", "c"))).isEqualTo("a+c");
    assertThat(joined.get(List.of("a", "b"))).isEqualTo("a+b");

    assertThat(computed).containsExactly(List.of("a", "b"), List.of("a", "c"), List.of("a", "b"));
  }
}
