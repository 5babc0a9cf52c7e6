package dev.codepilot.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code system_prompt}: the prompt text itself, or the name of a file holding it (a path starting
 * with {@code ./}, {@code ../} or {@code /}, or ending in {@code .md} or {@code .txt}), which is
 * read here.
 */
final class PromptFiles {

  private final YamlValues values;
  private final AgentFilePaths paths;

  PromptFiles(YamlValues values, AgentFilePaths paths) {
    this.values = values;
    this.paths = paths;
  }

  /** The agent's own instructions; empty when the file gives none. */
  String systemPrompt(YamlMap agent) throws AgentFileException {
    Optional<String> value = agent.text("system_prompt");
    if (value.isEmpty() || !namesFile(value.get())) {
      return value.orElse("");
    }
    String text = value.get();
    String field = agent.field("system_prompt");
    Node node = agent.get("system_prompt").orElseThrow();
    Path path = paths.resolve(text, field, node);
    boolean explicit = text.startsWith("./") || text.startsWith("../");
    if (!Files.exists(path) && !explicit && text.chars().anyMatch(Character::isWhitespace)) {
      // A sentence that happens to end in ".txt" is prompt text, not a file name.
      return text;
    }
    if (Files.isDirectory(path)) {
      throw values.error(
          field,
          node,
          "prompt file "
              + path
              + " is a folder; name a .md or .txt"
              + " file, or write the prompt text itself");
    }
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw values.error(
          field,
          node,
          "prompt file "
              + path
              + " does not exist (paths are"
              + " relative to "
              + paths.dir()
              + "); fix the path, or write the prompt text itself");
    } catch (CharacterCodingException e) {
      throw values.error(
          field, node, "prompt file " + path + " is not UTF-8 text; save it as" + " UTF-8");
    } catch (IOException e) {
      throw values.error(
          field,
          node,
          "prompt file "
              + path
              + " cannot be read ("
              + AgentFilePaths.reason(e)
              + "); check the file and its permissions");
    }
  }

  /** Whether a system_prompt value names a file rather than being the prompt itself. */
  private static boolean namesFile(String value) {
    if (value.isBlank() || value.contains("\n") || value.contains("\r")) {
      return false;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    return value.startsWith("./")
        || value.startsWith("../")
        || value.startsWith("/")
        || lower.endsWith(".md")
        || lower.endsWith(".txt");
  }
}
