package dev.codepilot.internal;

import java.util.Objects;
import java.util.function.Function;

/**
 * A function's result for the last key it was asked for, computed again only when the key changes
 * (by {@code equals}). For work that repeats every step with the same input, such as rendering the
 * tools on offer. Safe for concurrent use; two threads may both compute.
 *
 * @param <K> the key; it must not change once passed in
 * @param <V> the result
 */
public final class LastComputed<K, V> {

  private record Entry<K, V>(K key, V value) {}

  private final Function<K, V> compute;
  private volatile Entry<K, V> last;

  public LastComputed(Function<K, V> compute) {
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  /** The result for {@code key}: the last one if the key is equal to the last key. */
  public V get(K key) {
    Entry<K, V> entry = last;
    if (entry == null || !entry.key().equals(key)) {
      entry = new Entry<>(key, compute.apply(key));
      last = entry;
    }
    return entry.value();
  }
}
