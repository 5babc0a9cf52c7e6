package dev.codepilot.config;

import dev.codepilot.model.ChatModels;
import java.util.Set;
import java.util.TreeSet;

/**
 * The model providers an agent file may name in {@code model.provider}. Kept apart from the
 * reading so that where the names come from (today the providers on the class path, found by
 * {@link ChatModels}) can change without touching the agent file's rules.
 */
final class ProviderNames {

  private final Set<String> names;

  /** Exactly these names (a caller that knows its providers passes them in). */
  ProviderNames(Set<String> names) {
    this.names = Set.copyOf(names);
  }

  /** The providers on the class path, with the built-in {@code replay}. */
  static ProviderNames discovered() {
    return new ProviderNames(ChatModels.knownProviderNames());
  }

  /** The names, sorted, for messages that list them. */
  Set<String> known() {
    return new TreeSet<>(names);
  }

  boolean contains(String provider) {
    return names.contains(provider);
  }
}
