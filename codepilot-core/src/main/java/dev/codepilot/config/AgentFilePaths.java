package dev.codepilot.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.nodes.Node;

/** Paths written in an agent file: resolved against the file's folder, and checked. */
final class AgentFilePaths {

  private final Path dir;
  private final YamlValues values;

  /** Paths of the file {@code values} reads, whose folder is {@code dir}. */
  AgentFilePaths(Path dir, YamlValues values) {
    this.dir = dir;
    this.values = values;
  }

  /** The agent file's folder, against which its paths are resolved. */
  Path dir() {
    return dir;
  }

  /** A path from the file, resolved against the file's folder. */
  Path resolve(String text, String field, Node node) throws AgentFileException {
    try {
      return dir.resolve(text).normalize();
    } catch (InvalidPathException e) {
      throw values.error(
          field,
          node == null ? 0 : YamlValues.line(node),
          "is not a valid path (" + e.getReason() + "); fix the path");
    }
  }

  /** The path a setting names, which must be an existing file; {@code what} names its kind. */
  Path existingFile(YamlMap map, String key, Node node, String what) throws AgentFileException {
    String field = map.field(key);
    String text = values.text(node, field);
    if (text.isBlank()) {
      throw values.error(field, node, "must not be blank; give the " + what + " file's path");
    }
    Path path = resolve(text, field, node);
    if (!Files.exists(path)) {
      throw values.error(
          field,
          node,
          what
              + " file "
              + path
              + " does not exist (paths are"
              + " relative to "
              + dir
              + "); fix the path");
    }
    if (!Files.isRegularFile(path)) {
      throw values.error(field, node, what + " " + path + " is not a file; name a file");
    }
    return path;
  }

  /** Why a file operation failed, in a few words. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "not found";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
