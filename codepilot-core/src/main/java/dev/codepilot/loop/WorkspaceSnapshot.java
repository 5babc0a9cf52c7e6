package dev.codepilot.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compact picture of the workspace for the system prompt: a JSON tree of folders and files,
 * each file with its line count. Version control, caches, virtual environments, build output
 * and dependency folders are skipped; the tree is cut at a number of entries so a huge
 * workspace cannot flood the prompt. Line counts are cached by size and modification time, so
 * a step only reads files that changed.
 */
final class WorkspaceSnapshot {

  static final Set<String> SKIPPED = Set.of(
      ".git", ".hg", ".svn", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
      "node_modules", ".venv", "venv", "env", ".env", ".tox", "target", "build", "dist", ".gradle",
      ".idea", ".vscode", ".next", ".cache", ".codepilot");
  private static final int MAX_ENTRIES = 200;
  private static final int MAX_DEPTH = 8;
  private static final long MAX_COUNTED_BYTES = 2L * 1024 * 1024;

  private record Counted(long size, long modified, Object lines) {
  }

  private final Path root;
  private final Map<Path, Counted> cache = new HashMap<>();
  private int entries;

  WorkspaceSnapshot(Path root) {
    this.root = root;
  }

  /** The tree as compact JSON; "{}" for an empty or missing workspace. */
  synchronized String render() {
    entries = 0;
    ObjectNode tree = Json.mapper().createObjectNode();
    if (Files.isDirectory(root)) {
      walk(root, tree, 0);
    }
    return tree.toString();
  }

  private void walk(Path dir, ObjectNode node, int depth) {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    } catch (IOException e) {
      node.put("…", "unreadable");
      return;
    }
    children.sort(null);
    for (int i = 0; i < children.size(); i++) {
      Path child = children.get(i);
      String name = child.getFileName().toString();
      if (SKIPPED.contains(name)) {
        continue;
      }
      if (++entries > MAX_ENTRIES) {
        node.put("…", (children.size() - i) + " more entries not shown");
        return;
      }
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        continue;
      }
      if (attributes.isSymbolicLink()) {
        node.put(name, "symlink");
      } else if (attributes.isDirectory()) {
        ObjectNode sub = node.putObject(name);
        if (depth + 1 < MAX_DEPTH) {
          walk(child, sub, depth + 1);
        } else {
          sub.put("…", "not shown");
        }
      } else {
        Object lines = lines(child, attributes);
        if (lines instanceof Integer count) {
          node.put(name, count);
        } else {
          node.put(name, String.valueOf(lines));
        }
      }
    }
  }

  private Object lines(Path file, BasicFileAttributes attributes) {
    long size = attributes.size();
    long modified = attributes.lastModifiedTime().toMillis();
    Counted cached = cache.get(file);
    if (cached != null && cached.size() == size && cached.modified() == modified) {
      return cached.lines();
    }
    Object lines = count(file, size);
    cache.put(file, new Counted(size, modified, lines));
    return lines;
  }

  private static Object count(Path file, long size) {
    if (size > MAX_COUNTED_BYTES) {
      return size + " bytes";
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readAllBytes();
      int lines = 0;
      for (byte b : bytes) {
        if (b == 0) {
          return "binary, " + size + " bytes";
        }
        if (b == '\n') {
          lines++;
        }
      }
      if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
        lines++;
      }
      return lines;
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
