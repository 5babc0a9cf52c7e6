package dev.codepilot.tools;

import dev.codepilot.internal.DirHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's workspace and the one path check every file tool uses.
 *
 * <p>{@link #locate} walks a path the model wrote the way the operating system would, name by name,
 * but holding each folder open and reaching the next name relative to it without following links
 * ({@link DirHandle}): a symbolic link is resolved by the walk itself (its target walked on from
 * the folder it sits in, or from {@code /}), and {@code ..} goes back to the folder the walk really
 * came from. The path is inside the workspace when the chain of open folders passes through the
 * workspace folder itself (the same device and inode), so a folder on the way that is swapped for a
 * link while the walk runs cannot lead it outside: what was checked is the open folder the file is
 * then opened in. {@link #resolve} is the same walk, for callers that only need the answer.
 */
public final class Workspace {

  private static final int MAX_LINKS = 40;

  private final Path root;
  private final Path realRoot;
  private final boolean unsafeMode;

  /** The workspace folder's identity (device and inode), or null where the platform has none. */
  private final Object rootKey;

  private final List<Pattern> hostPaths;

  /**
   * A workspace rooted at {@code root}.
   *
   * @param root the workspace directory; created if missing
   * @param unsafeMode when true, paths outside the workspace are allowed
   * @throws UncheckedIOException when the directory cannot be created or is not a directory
   */
  public Workspace(Path root, boolean unsafeMode) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.unsafeMode = unsafeMode;
    try {
      Files.createDirectories(this.root);
      this.realRoot = this.root.toRealPath();
      this.rootKey = Files.readAttributes(realRoot, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot use workspace " + this.root + ": " + e.getMessage(), e);
    }
    Set<Path> shown = new LinkedHashSet<>(List.of(realRoot, this.root));
    List<Pattern> patterns = new ArrayList<>();
    for (Path path : shown) {
      if (path.getParent() != null) {
        patterns.add(
            Pattern.compile(
                Pattern.quote(path.toString())
                    + "("
                    + Pattern.quote(path.getFileSystem().getSeparator())
                    + "|(?![\\w.-]))"));
      }
    }
    this.hostPaths = List.copyOf(patterns);
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
   * Resolves a path the model wrote to the real path it names.
   *
   * @throws ToolException {@code PermissionError} when the path leads outside the workspace (and
   *     unsafe mode is off); {@code ValueError} when it is empty or not a valid path
   */
  public Path resolve(String path) throws ToolException {
    try (Located located = locate(path, false)) {
      return located.realPath();
    }
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
   * The text with the workspace's absolute host path taken out: paths inside it become relative
   * ({@code /home/me/ws/a.txt} becomes {@code a.txt}), the folder itself {@code .}. Every error a
   * tool raises passes through here before the model sees it.
   */
  public String scrub(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (Pattern pattern : hostPaths) {
      Matcher matcher = pattern.matcher(result);
      if (matcher.find()) {
        result = matcher.replaceAll(m -> m.group(1).isEmpty() ? "." : "");
      }
    }
    return result;
  }

  /**
   * Walks {@code path} and keeps the folder it ends in open, for the tool to open the file relative
   * to it. With {@code create}, missing folders inside the workspace are created on the way (each
   * created by path, then opened through its parent and checked to be the folder just made).
   *
   * @throws ToolException {@code PermissionError} when the path leads outside the workspace (and
   *     unsafe mode is off); {@code ValueError} when it is empty or not a valid path; {@code
   *     OSError} for a link loop or a folder that cannot be opened
   */
  Located locate(String path, boolean create) throws ToolException {
    if (path == null || path.isBlank()) {
      throw ToolException.valueError("path must not be empty");
    }
    if (path.indexOf('\0') >= 0) {
      throw ToolException.valueError("path must not contain NUL characters");
    }
    Path given;
    try {
      given = realRoot.getFileSystem().getPath(path);
    } catch (InvalidPathException e) {
      throw ToolException.valueError("invalid path '" + scrub(path) + "': " + e.getReason());
    }
    Chain chain = new Chain();
    try {
      Located located = walk(path, given, chain, create);
      if (!unsafeMode && !chain.inside(located.realPath())) {
        throw ToolException.permissionError(
            "Access denied: '" + scrub(path) + "' is outside the workspace");
      }
      return located;
    } catch (RuntimeException | Error e) {
      chain.close();
      throw e;
    } catch (IOException e) {
      chain.close();
      throw TextFiles.error(e, scrub(path));
    }
  }

  private Located walk(String text, Path given, Chain chain, boolean create)
      throws IOException, ToolException {
    Deque<String> todo = new ArrayDeque<>();
    given.forEach(name -> todo.addLast(name.toString()));
    if (given.isAbsolute()) {
      chain.restartAt(given.getRoot());
    } else {
      chain.startAtWorkspace();
    }
    List<String> missing = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.removeFirst();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (!missing.isEmpty()) {
          missing.remove(missing.size() - 1);
        } else {
          chain.up();
        }
        continue;
      }
      if (!missing.isEmpty()) {
        missing.add(name);
        continue;
      }
      DirHandle dir = chain.top();
      BasicFileAttributes attributes = dir.lstatOrNull(name);
      if (attributes != null && attributes.isSymbolicLink()) {
        if (++links > MAX_LINKS) {
          throw new ToolException(
              "OSError", "too many levels of symbolic links in '" + scrub(text) + "'");
        }
        // Read by path: the target text only says where to walk on; the walk itself is
        // relative to the open folder, so a swapped folder cannot change where this ends.
        Path target = Files.readSymbolicLink(dir.path().resolve(name));
        List<String> names = new ArrayList<>();
        target.forEach(n -> names.add(n.toString()));
        for (int i = names.size() - 1; i >= 0; i--) {
          todo.addFirst(names.get(i));
        }
        if (target.isAbsolute()) {
          chain.restartAt(target.getRoot());
        }
        continue;
      }
      if (attributes != null && attributes.isOther() && !dir.isSecure()) {
        // A Windows junction is a link Java does not report as one; let the OS resolve it.
        Path real = dir.path().resolve(name).toRealPath();
        List<String> names = new ArrayList<>();
        real.forEach(n -> names.add(n.toString()));
        for (int i = names.size() - 1; i >= 0; i--) {
          todo.addFirst(names.get(i));
        }
        chain.restartAt(real.getRoot());
        continue;
      }
      boolean last = todo.stream().allMatch(n -> n.isEmpty() || n.equals("."));
      if (attributes != null && attributes.isDirectory()) {
        chain.descend(name, attributes.fileKey(), text);
      } else if (last) {
        return new Located(chain, name, attributes, List.of());
      } else if (attributes == null && create && (unsafeMode || chain.inside(null))) {
        chain.createAndDescend(name, text);
      } else {
        missing.add(name);
      }
    }
    return new Located(chain, null, null, missing);
  }

  /** A path the walk reached: the open folder chain, and the last name in the last folder. */
  final class Located implements AutoCloseable {

    private final Chain chain;
    private final String name;
    private final BasicFileAttributes attributes;
    private final List<String> missing;
    private final Path realPath;

    private Located(
        Chain chain, String name, BasicFileAttributes attributes, List<String> missing) {
      this.chain = chain;
      this.name = name;
      this.attributes = attributes;
      this.missing = List.copyOf(missing);
      Path path = chain.top().path();
      for (String folder : missing) {
        path = path.resolve(folder);
      }
      this.realPath = name == null ? path : path.resolve(name);
    }

    /** The real path reached. */
    Path realPath() {
      return realPath;
    }

    /** The path as the model is shown it: relative to the workspace when inside it. */
    String display() {
      return Workspace.this.display(realPath);
    }

    /** True when the path names an existing folder. */
    boolean isDirectory() {
      return name == null && missing.isEmpty();
    }

    /** True when something exists at the path. */
    boolean exists() {
      return isDirectory() || name != null && attributes != null;
    }

    /** True when a folder on the way does not exist (or is a file). */
    boolean parentMissing() {
      return !missing.isEmpty();
    }

    /** What the last name is, for a message ("a FIFO"...). */
    String kind() {
      return isDirectory() ? "a directory" : chain.top().kind(name, attributes);
    }

    /**
     * Opens the regular file for reading: FileNotFoundError, IsADirectoryError, or PermissionError
     * for anything that is not a regular file (a FIFO, socket or device is never opened, so it
     * never blocks).
     */
    SeekableByteChannel openRead(String tool) throws ToolException {
      String display = display();
      if (isDirectory()) {
        throw new ToolException(
            "IsADirectoryError",
            "'" + display + "' is a directory, not a" + " file; list it with run_command");
      }
      if (!exists()) {
        throw ToolException.fileNotFound("No such file: '" + display + "'");
      }
      if (!attributes.isRegularFile()) {
        throw notRegular(tool, kind());
      }
      try {
        return chain.top().openRegularForRead(name, attributes.fileKey());
      } catch (IOException e) {
        throw error(tool, e);
      }
    }

    /**
     * Opens the regular file for writing, creating it when missing; the content is emptied first
     * unless {@code append}, in which case it is opened for reading as well. Refused: folders,
     * anything not a regular file, and a file with more than one hard link (writing it would change
     * the file under its other names, which may lie outside the workspace).
     */
    SeekableByteChannel openWrite(String tool, boolean append) throws ToolException {
      String display = display();
      if (isDirectory()) {
        throw new ToolException("IsADirectoryError", "Is a directory: '" + display + "'");
      }
      if (parentMissing()) {
        throw ToolException.fileNotFound("No such file or folder: '" + display + "'");
      }
      if (attributes != null && !attributes.isRegularFile()) {
        throw notRegular(tool, kind());
      }
      DirHandle dir = chain.top();
      if (attributes != null) {
        checkSingleLink(tool, attributes.fileKey());
      }
      Set<OpenOption> options = new HashSet<>();
      options.add(StandardOpenOption.WRITE);
      if (attributes == null) {
        options.add(StandardOpenOption.CREATE_NEW);
      }
      if (append) {
        // Read too, to count the lines afterwards from the same open file (Java has no
        // READ + APPEND; the caller writes at the end).
        options.add(StandardOpenOption.READ);
      }
      SeekableByteChannel channel;
      try {
        channel = dir.openRegular(name, options, attributes == null ? null : attributes.fileKey());
      } catch (FileAlreadyExistsException e) {
        // Missing when the walk looked, there when it was created: something else made it.
        throw ToolException.permissionError(
            "Refused '"
                + display
                + "': the file was replaced"
                + " while it was being opened (it appeared as it was being created); try again");
      } catch (IOException e) {
        throw error(tool, e);
      }
      try {
        checkSingleLink(tool, dir.lstat(name).fileKey());
        if (!append) {
          channel.truncate(0);
        }
        return channel;
      } catch (IOException e) {
        closeQuietly(channel);
        throw error(tool, e);
      } catch (RuntimeException e) {
        closeQuietly(channel);
        throw e;
      }
    }

    private void checkSingleLink(String tool, Object key) throws ToolException {
      Map<String, Object> unix = chain.top().unixAttributes(name);
      if (unix.isEmpty()) {
        return;
      }
      if (!Objects.equals(unix.get("fileKey"), key)) {
        throw ToolException.permissionError(
            "Refused '"
                + display()
                + "': the path changed while"
                + " it was being written (a folder on it was replaced)");
      }
      if (unix.get("nlink") instanceof Integer links && links > 1) {
        throw ToolException.permissionError(
            tool
                + "(): refused '"
                + display()
                + "': it has "
                + links
                + " hard links, so writing it would also change the same file under its"
                + " other names (which may be outside the workspace); write a new file instead");
      }
    }

    ToolException notRegular(String tool, String kind) {
      return ToolException.permissionError(
          "'"
              + display()
              + "' is "
              + kind
              + ", not a regular"
              + " file; "
              + tool
              + " "
              + (tool.startsWith("write") ? "writes" : "reads")
              + " regular files only");
    }

    ToolException error(String tool, IOException e) {
      if (e instanceof DirHandle.NotRegularFileException special) {
        return notRegular(tool, special.kind());
      }
      return TextFiles.error(e, display());
    }

    @Override
    public void close() {
      chain.close();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Already failing; the first error is the one to report.
    }
  }

  /** The open folders from where the walk started down to where it is. */
  private final class Chain implements AutoCloseable {

    private record Dir(DirHandle handle, Object key) {}

    private final Deque<Dir> dirs = new ArrayDeque<>();

    DirHandle top() {
      return dirs.getLast().handle();
    }

    /** Starts at the workspace folder, which must still be the one the workspace was made on. */
    void startAtWorkspace() throws IOException, ToolException {
      close();
      DirHandle handle = DirHandle.open(realRoot);
      dirs.addLast(new Dir(handle, handle.key()));
      if (rootKey != null && !rootKey.equals(dirs.getLast().key())) {
        throw new ToolException(
            "OSError",
            "the workspace folder was moved or replaced after"
                + " the agent started; restart the agent");
      }
    }

    /** Starts again at a file system root (an absolute path or link target). */
    void restartAt(Path fileSystemRoot) throws IOException {
      close();
      DirHandle handle = DirHandle.open(fileSystemRoot);
      dirs.addLast(new Dir(handle, handle.key()));
    }

    /** Goes to the parent of the folder reached: the one the walk came from, when it did. */
    void up() throws IOException {
      if (dirs.size() > 1) {
        closeQuietly(dirs.removeLast().handle());
        return;
      }
      Path parent = top().path().getParent();
      if (parent == null) {
        return;
      }
      // Above where the walk started (the workspace): by path, since that is outside anyway.
      close();
      DirHandle handle = DirHandle.open(parent);
      dirs.addLast(new Dir(handle, handle.key()));
    }

    void descend(String name, Object expected, String text) throws IOException, ToolException {
      DirHandle handle;
      try {
        handle = top().openDir(name);
      } catch (AccessDeniedException e) {
        throw e;
      } catch (IOException e) {
        // Swapped for a link or file since it was looked at.
        throw changed(text);
      }
      Object key = handle.key();
      dirs.addLast(new Dir(handle, key));
      if (expected != null && !expected.equals(key)) {
        throw changed(text);
      }
    }

    /**
     * Creates the folder {@code name} here. There is no mkdirat in Java, so it is created by path
     * and then opened through this folder and checked to be the folder just created; if a folder
     * above was swapped meanwhile, the created folder (empty) may land elsewhere, but the walk
     * refuses to go on and nothing is written into it.
     */
    void createAndDescend(String name, String text) throws IOException, ToolException {
      Path created = top().path().resolve(name);
      try {
        Files.createDirectory(created);
      } catch (FileAlreadyExistsException e) {
        // Made meanwhile by someone else: checked below like one made here.
      }
      BasicFileAttributes byPath =
          Files.readAttributes(created, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      BasicFileAttributes here = top().lstat(name);
      if (!here.isDirectory()
          || !byPath.isDirectory()
          || !Objects.equals(here.fileKey(), byPath.fileKey())) {
        throw changed(text);
      }
      descend(name, here.fileKey(), text);
    }

    /**
     * True when the chain passes through the workspace folder. Where folders have no identity
     * (Windows), the reached path is compared instead.
     */
    boolean inside(Path reached) {
      if (rootKey == null) {
        return (reached != null ? reached : top().path()).startsWith(realRoot);
      }
      for (Dir dir : dirs) {
        if (rootKey.equals(dir.key())) {
          return true;
        }
      }
      return false;
    }

    private ToolException changed(String text) {
      return ToolException.permissionError(
          "Refused '"
              + scrub(text)
              + "': the path changed"
              + " while it was being used (a folder on it was replaced)");
    }

    @Override
    public void close() {
      Iterator<Dir> it = dirs.descendingIterator();
      while (it.hasNext()) {
        closeQuietly(it.next().handle());
      }
      dirs.clear();
    }
  }
}
