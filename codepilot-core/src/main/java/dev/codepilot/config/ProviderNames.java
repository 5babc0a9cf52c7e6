package dev.codepilot.config;

import java.util.Set;
import java.util.TreeSet;

/**
 * The model providers an agent file may name in {@code model.provider}, as its caller gives them
 * ({@link AgentFile#load(java.nio.file.Path)} passes the providers found on the class or module
 * path). Kept apart from the reading so that where the names come from can change without touching
 * the agent file's rules.
 */
final class ProviderNames {

  private final Set<String> names;

  /** Exactly these names. */
  ProviderNames(Set<String> names) {
    this.names = Set.copyOf(names);
  }

  /** The names as given, for the sub-agents' files. */
  Set<String> names() {
    return names;
  }

  /** The names, sorted, for messages that list them. */
  Set<String> known() {
    return new TreeSet<>(names);
  }

  boolean contains(String provider) {
    return names.contains(provider);
  }
}
