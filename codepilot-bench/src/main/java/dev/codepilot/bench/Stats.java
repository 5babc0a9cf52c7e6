package dev.codepilot.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/** Order statistics of a sample of durations in nanoseconds, printed in milliseconds. */
record Stats(long[] sorted) {

  static Stats of(Collection<Long> nanos) {
    long[] values = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(values);
    return new Stats(values);
  }

  static Stats of(long[] nanos) {
    long[] values = nanos.clone();
    Arrays.sort(values);
    return new Stats(values);
  }

  int count() {
    return sorted.length;
  }

  /** The value at quantile {@code q} (nearest rank); 0 for an empty sample. */
  long quantile(double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
  }

  long median() {
    return quantile(0.5);
  }

  /** "median (p25–p75)" in milliseconds. */
  String medianAndSpread() {
    return ms(median()) + " (" + ms(quantile(0.25)) + "–" + ms(quantile(0.75)) + ")";
  }

  static String ms(long nanos) {
    double millis = nanos / 1e6;
    return String.format(
        Locale.ROOT, millis >= 100 ? "%.0f" : millis >= 10 ? "%.1f" : "%.2f", millis);
  }
}
