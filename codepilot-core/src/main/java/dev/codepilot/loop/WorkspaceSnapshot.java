package dev.codepilot.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.internal.DirHandle;
import dev.codepilot.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A compact picture of the workspace for the system prompt: a JSON tree of folders and files, each
 * file with its line count. Version control, caches, virtual environments, build output and
 * dependency folders are skipped; the tree is cut at a number of entries so a huge workspace cannot
 * flood the prompt. Line counts are cached by size and modification time, so a step only reads
 * files that changed.
 */
final class WorkspaceSnapshot {

  static final Set<String> SKIPPED =
      Set.of(
          ".git",
          ".hg",
          ".svn",
          "__pycache__",
          ".pytest_cache",
          ".mypy_cache",
          ".ruff_cache",
          "node_modules",
          ".venv",
          "venv",
          "env",
          ".env",
          ".tox",
          "target",
          "build",
          "dist",
          ".gradle",
          ".idea",
          ".vscode",
          ".next",
          ".cache",
          ".codepilot");
  private static final int MAX_ENTRIES = 200;
  private static final int MAX_DEPTH = 8;
  private static final long MAX_COUNTED_BYTES = 2L * 1024 * 1024;

  private record Counted(long size, long modified, Object lines) {}

  private final Path root;
  private final Map<Path, Counted> cache = new HashMap<>();

  /** A lock rather than {@code synchronized}: file IO under a monitor pins a virtual thread. */
  private final ReentrantLock lock = new ReentrantLock();

  private int entries;

  WorkspaceSnapshot(Path root) {
    this.root = root;
  }

  /** The tree as compact JSON; "{}" for an empty or missing workspace. */
  String render() {
    lock.lock();
    try {
      entries = 0;
      ObjectNode tree = Json.mapper().createObjectNode();
      if (Files.isDirectory(root)) {
        try (DirHandle dir = DirHandle.open(root)) {
          walk(dir, tree, 0);
        } catch (IOException e) {
          tree.put("…", "unreadable");
        }
      }
      return tree.toString();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Lists one folder. Every name is looked at without following links and relative to the open
   * folder; only regular files are ever opened (a FIFO or device would block or never end), and
   * sub-folders are opened through their parent, so a folder swapped for a link cannot lead the
   * walk outside.
   */
  private void walk(DirHandle dir, ObjectNode node, int depth) {
    List<String> children;
    try {
      children = new ArrayList<>(dir.list());
    } catch (IOException | RuntimeException e) {
      node.put("…", "unreadable");
      return;
    }
    children.sort(null);
    for (int i = 0; i < children.size(); i++) {
      String name = children.get(i);
      if (SKIPPED.contains(name)) {
        continue;
      }
      if (++entries > MAX_ENTRIES) {
        node.put("…", (children.size() - i) + " more entries not shown");
        return;
      }
      BasicFileAttributes attributes;
      try {
        attributes = dir.lstat(name);
      } catch (IOException | RuntimeException e) {
        continue;
      }
      if (attributes.isSymbolicLink()) {
        node.put(name, "symlink");
      } else if (attributes.isDirectory()) {
        ObjectNode sub = node.putObject(name);
        if (depth + 1 < MAX_DEPTH) {
          try (DirHandle child = dir.openDir(name)) {
            walk(child, sub, depth + 1);
          } catch (IOException | RuntimeException e) {
            sub.put("…", "unreadable");
          }
        } else {
          sub.put("…", "not shown");
        }
      } else if (attributes.isRegularFile()) {
        Object lines = lines(dir, name, attributes);
        if (lines instanceof Integer count) {
          node.put(name, count);
        } else {
          node.put(name, String.valueOf(lines));
        }
      } else {
        node.put(name, dir.kind(name, attributes).replaceFirst("^an? ", "") + ", not read");
      }
    }
  }

  private Object lines(DirHandle dir, String name, BasicFileAttributes attributes) {
    long size = attributes.size();
    long modified = attributes.lastModifiedTime().toMillis();
    Path file = dir.path().resolve(name);
    Counted cached = cache.get(file);
    if (cached != null && cached.size() == size && cached.modified() == modified) {
      return cached.lines();
    }
    Object lines = count(dir, name, attributes);
    cache.put(file, new Counted(size, modified, lines));
    return lines;
  }

  private static Object count(DirHandle dir, String name, BasicFileAttributes attributes) {
    long size = attributes.size();
    if (size > MAX_COUNTED_BYTES) {
      return size + " bytes";
    }
    byte[] bytes;
    try {
      bytes = dir.readAtMost(name, attributes.fileKey(), MAX_COUNTED_BYTES);
    } catch (IOException | RuntimeException e) {
      return "unreadable";
    }
    if (bytes.length > MAX_COUNTED_BYTES) {
      // It grew past the limit since it was looked at.
      return "more than " + MAX_COUNTED_BYTES + " bytes";
    }
    int lines = 0;
    for (byte b : bytes) {
      if (b == 0) {
        return "binary, " + bytes.length + " bytes";
      }
      if (b == '\n') {
        lines++;
      }
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
      lines++;
    }
    return lines;
  }
}
