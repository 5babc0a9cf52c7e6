package dev.codepilot.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The agent's workspace and the one path check every file tool uses.
 *
 * <p>{@link #resolve} turns a path the model wrote into the real path to operate on: relative
 * paths are taken from the workspace, {@code ..} and symbolic links are resolved on the real
 * file system, and the result must lie inside the workspace's real path unless unsafe mode is
 * on. Tools then operate on the returned path, never on the text the model wrote, so what was
 * checked is what is used.
 */
public final class Workspace {

  private static final int MAX_LINKS = 40;

  private final Path root;
  private final Path realRoot;
  private final boolean unsafeMode;

  /**
   * A workspace rooted at {@code root}.
   *
   * @param root       the workspace directory; created if missing
   * @param unsafeMode when true, paths outside the workspace are allowed
   * @throws UncheckedIOException when the directory cannot be created or is not a directory
   */
  public Workspace(Path root, boolean unsafeMode) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.unsafeMode = unsafeMode;
    try {
      Files.createDirectories(this.root);
      this.realRoot = this.root.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use workspace " + this.root + ": " + e.getMessage(), e);
    }
  }

  /** The workspace directory as configured (absolute). */
  public Path root() {
    return root;
  }

  /** The workspace directory with every symbolic link resolved. */
  public Path realRoot() {
    return realRoot;
  }

  /** True when paths outside the workspace are allowed. */
  public boolean unsafeMode() {
    return unsafeMode;
  }

  /**
   * Resolves a path the model wrote to the real path a tool may use.
   *
   * @throws ToolException {@code PermissionError} when the path leads outside the workspace
   *     (and unsafe mode is off); {@code ValueError} when it is empty or not a valid path
   */
  public Path resolve(String path) throws ToolException {
    if (path == null || path.isBlank()) {
      throw ToolException.valueError("path must not be empty");
    }
    if (path.indexOf('\0') >= 0) {
      throw ToolException.valueError("path must not contain NUL characters");
    }
    Path candidate;
    try {
      candidate = realRoot.resolve(path);
    } catch (InvalidPathException e) {
      throw ToolException.valueError("invalid path '" + path + "': " + e.getReason());
    }
    Path real = realPath(candidate);
    if (!unsafeMode && !real.startsWith(realRoot)) {
      throw ToolException.permissionError("Access denied: '" + path
          + "' is outside the workspace (" + root + ")");
    }
    return real;
  }

  /** The path relative to the workspace, as shown to the model ("." for the root itself). */
  public String display(Path real) {
    if (real.startsWith(realRoot)) {
      String relative = realRoot.relativize(real).toString();
      return relative.isEmpty() ? "." : relative;
    }
    return real.toString();
  }

  /**
   * The real path of an absolute path whose tail may not exist yet, found the way the operating
   * system walks a path: name by name from the root, following each symbolic link (also a
   * dangling one, so it cannot point a later write outside), and taking {@code ..} from the real
   * directory reached so far rather than from the text.
   */
  private static Path realPath(Path absolute) throws ToolException {
    Deque<String> todo = new ArrayDeque<>();
    absolute.forEach(name -> todo.addLast(name.toString()));
    Path current = absolute.getRoot();
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.removeFirst();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        Path parent = current.getParent();
        current = parent == null ? current : parent;
        continue;
      }
      Path next = current.resolve(name);
      BasicFileAttributes attributes = attributes(next);
      if (attributes != null && attributes.isOther() && !attributes.isSymbolicLink()) {
        // A Windows junction is a link Java does not report as one; let the OS resolve it.
        try {
          current = next.toRealPath();
        } catch (IOException e) {
          throw new ToolException("OSError", "cannot resolve " + next + ": " + e.getMessage());
        }
        continue;
      }
      if (attributes != null && attributes.isSymbolicLink()) {
        if (++links > MAX_LINKS) {
          throw new ToolException("OSError", "too many levels of symbolic links in " + absolute);
        }
        Path target;
        try {
          target = Files.readSymbolicLink(next);
        } catch (IOException e) {
          throw new ToolException("OSError", "cannot read link " + next + ": " + e.getMessage());
        }
        List<String> names = new ArrayList<>();
        target.forEach(n -> names.add(n.toString()));
        for (int i = names.size() - 1; i >= 0; i--) {
          todo.addFirst(names.get(i));
        }
        if (target.isAbsolute()) {
          current = target.getRoot();
        }
        continue;
      }
      current = next;
    }
    return current;
  }

  /** The attributes of the path itself (a link is not followed), or null when it does not exist. */
  private static BasicFileAttributes attributes(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }
}
