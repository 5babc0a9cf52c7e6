package dev.codepilot.model;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the {@link ChatModelProvider} for a provider name. The replay provider is built in; others
 * are found with {@link ServiceLoader} on the class path.
 */
public final class ChatModels {

  /** Provider names this project ships, whether or not their module is on the class path. */
  public static final Set<String> BUILT_IN_NAMES =
      Set.of("anthropic", "openai", "together", "replay");

  private ChatModels() {}

  /** Every provider name that an agent file may use: built-in names plus any found at run time. */
  public static Set<String> knownProviderNames() {
    Set<String> names = new TreeSet<>(BUILT_IN_NAMES);
    names.addAll(providers().keySet());
    return names;
  }

  /**
   * Creates the model an agent file's {@code model:} section describes.
   *
   * @throws ModelException when no provider of that name is on the class path, or the provider
   *     refuses the configuration
   */
  public static ChatModel create(ModelConfig config) throws ModelException {
    ChatModelProvider provider = providers().get(config.provider());
    if (provider == null) {
      if (BUILT_IN_NAMES.contains(config.provider())) {
        throw new ModelException(
            "the '"
                + config.provider()
                + "' provider is not on the class path;"
                + " add the dev.codepilot:codepilot-"
                + moduleFor(config.provider())
                + " dependency (the codepilot command includes it)");
      }
      throw new ModelException(
          "unknown model provider '"
              + config.provider()
              + "' (known: "
              + String.join(", ", knownProviderNames())
              + ")");
    }
    return provider.create(config);
  }

  private static String moduleFor(String provider) {
    return provider.equals("anthropic") ? "anthropic" : "openai";
  }

  private static Map<String, ChatModelProvider> providers() {
    Map<String, ChatModelProvider> byName = new TreeMap<>();
    ReplayModel.Provider replay = new ReplayModel.Provider();
    replay.names().forEach(n -> byName.put(n, replay));
    for (ChatModelProvider provider : ServiceLoader.load(ChatModelProvider.class)) {
      provider.names().forEach(n -> byName.putIfAbsent(n, provider));
    }
    return byName;
  }
}
