package dev.codepilot.model;

import java.util.List;
import java.util.Locale;

/**
 * The context windows of common models, in tokens, for {@code runtime.context} when the agent file
 * does not give {@code window_tokens}. Names are matched by prefix, the most specific first, so
 * dated or suffixed names ({@code claude-sonnet-4-5-20250929}, {@code gpt-4o-mini}) find their
 * family. A model not listed gets {@link #DEFAULT}.
 */
public final class ContextWindows {

  /** The window assumed for a model not listed: small enough for most served models. */
  public static final int DEFAULT = 128_000;

  private record Family(String prefix, int tokens) {}

  /** The most specific prefixes first: {@code gpt-4.1} before {@code gpt-4}. */
  private static final List<Family> FAMILIES =
      List.of(
          new Family("gpt-4.1", 1_047_576),
          new Family("gpt-4o", 128_000),
          new Family("gpt-4-turbo", 128_000),
          new Family("gpt-3.5-turbo", 16_385),
          new Family("gpt-5", 400_000),
          new Family("gpt-4", 8_192),
          new Family("o4-mini", 200_000),
          new Family("o3", 200_000),
          new Family("o1", 200_000),
          new Family("claude-", 200_000));

  private ContextWindows() {}

  /** The window of {@code model} (a provider's model name), or {@link #DEFAULT}. */
  public static int of(String model) {
    String name = model.toLowerCase(Locale.ROOT);
    int slash = name.lastIndexOf('/');
    if (slash >= 0) {
      name = name.substring(slash + 1);
    }
    for (Family family : FAMILIES) {
      if (name.startsWith(family.prefix())) {
        return family.tokens();
      }
    }
    return DEFAULT;
  }
}
