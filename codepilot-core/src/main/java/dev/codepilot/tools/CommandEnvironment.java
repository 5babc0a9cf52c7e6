package dev.codepilot.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment every command the runtime starts gets: an allow-list of the host's variables plus
 * the agent file's {@code runtime.shell.env}. It is built from nothing rather than by removing
 * names from the runtime's own environment, so API keys, tokens and whatever else the runtime was
 * started with never reach a command, whatever they are called.
 */
final class CommandEnvironment {

  /** Host variables a command may see; {@code LC_*} are allowed as well. */
  static final List<String> ALLOWED = List.of("PATH", "HOME", "LANG", "TERM", "TZ");

  /** For a host without a PATH, so that commands are still found. */
  static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  private CommandEnvironment() {}

  /** Whether a host variable of this name is passed on to commands. */
  static boolean allowed(String name) {
    return ALLOWED.contains(name) || name.startsWith("LC_");
  }

  /**
   * The allow-listed variables of {@code host}, then {@code extra} (which wins on a clash), with a
   * default {@code PATH} when neither has one.
   */
  static Map<String, String> build(Map<String, String> host, Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>();
    host.forEach(
        (name, value) -> {
          if (allowed(name)) {
            env.put(name, value);
          }
        });
    env.putAll(extra);
    env.putIfAbsent("PATH", DEFAULT_PATH);
    return env;
  }
}
