package dev.codepilot.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An open folder, and every access to the names in it made relative to that open folder: look at a
 * name without following a link, descend into a sub-folder, open a file. On Linux and macOS this is
 * a {@link SecureDirectoryStream}, so each call is {@code fstatat}/{@code openat} on the folder's
 * descriptor with {@code O_NOFOLLOW}: a folder on the way swapped for a link after it was opened
 * cannot redirect the call, and what was checked is what is used. Where the platform offers no
 * secure directory stream the calls fall back to paths.
 *
 * <p>Only regular files are ever opened ({@link #openRegular}): a FIFO, socket or device is refused
 * by type before it is opened, and, because the type can change between the look and the open, the
 * opened channel is checked again afterwards; an open that blocks on a FIFO swapped in meanwhile is
 * released by a watchdog.
 */
public abstract sealed class DirHandle implements Closeable {

  /** How long an open may block (on a FIFO swapped in after the check) before it is released. */
  private static final long RESCUE_AFTER_MILLIS = 300;

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "codepilot-open-watchdog");
            thread.setDaemon(true);
            return thread;
          });

  private final Path path;

  private DirHandle(Path path) {
    this.path = path;
  }

  /** Opens the folder at {@code dir} (a path; a link as its last name is followed). */
  public static DirHandle open(Path dir) throws IOException {
    DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
    if (stream instanceof SecureDirectoryStream<Path> secure) {
      return new Secure(dir, secure);
    }
    stream.close();
    if (!Files.isDirectory(dir)) {
      throw new java.nio.file.NotDirectoryException(dir.toString());
    }
    return new Plain(dir);
  }

  /** The folder's path as it was reached (for messages and path-only calls). */
  public Path path() {
    return path;
  }

  /** True when every call goes through the folder's descriptor rather than a path. */
  public abstract boolean isSecure();

  /** The identity of the folder itself (device and inode on Unix), or null when unknown. */
  public abstract Object key() throws IOException;

  /** The attributes of {@code name} itself (a link is not followed). */
  public abstract BasicFileAttributes lstat(String name) throws IOException;

  /** The sub-folder {@code name}, opened without following a link. */
  public abstract DirHandle openDir(String name) throws IOException;

  /** The names in the folder. */
  public abstract List<String> list() throws IOException;

  /** Opens {@code name} with these options and {@code NOFOLLOW_LINKS}; no type check. */
  abstract SeekableByteChannel rawOpen(String name, Set<? extends OpenOption> options)
      throws IOException;

  /** The attributes of {@code name} or null when there is no such name. */
  public BasicFileAttributes lstatOrNull(String name) throws IOException {
    try {
      return lstat(name);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * The {@code unix:*} attributes of {@code name} (mode, link count...), or an empty map where the
   * platform has none. Read by path, so callers compare {@code fileKey} with {@link #lstat}.
   */
  public Map<String, Object> unixAttributes(String name) {
    try {
      return Files.readAttributes(path.resolve(name), "unix:*", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Map.of();
    }
  }

  /**
   * What kind of thing {@code name} is, for a message: "a FIFO", "a socket", "a character device",
   * "a block device", "a directory", "a symbolic link", or "a special file".
   */
  public String kind(String name, BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a directory";
    }
    if (attributes.isSymbolicLink()) {
      return "a symbolic link";
    }
    Map<String, Object> unix = unixAttributes(name);
    if (unix.get("mode") instanceof Integer mode
        && Objects.equals(unix.get("fileKey"), attributes.fileKey())) {
      return switch (mode & 0170000) {
        case 0010000 -> "a FIFO";
        case 0140000 -> "a socket";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        default -> "a special file";
      };
    }
    return "a special file";
  }

  /**
   * Opens the regular file {@code name}, never anything else: a name that is not a regular file (or
   * stops being one while it is opened) is refused with {@link NotRegularFileException} and never
   * blocks. {@code NOFOLLOW_LINKS} is always added, so a link at the name is refused too.
   *
   * @param expected the identity the caller saw when it checked the name, or null to accept
   *     whatever regular file the open finds (a file just created, say)
   */
  public SeekableByteChannel openRegular(
      String name, Set<? extends OpenOption> options, Object expected) throws IOException {
    BasicFileAttributes before = lstatOrNull(name);
    if (before != null && !before.isRegularFile()) {
      if (before.isSymbolicLink()) {
        throw new FileSystemException(
            path.resolve(name).toString(),
            null,
            "a symbolic link appeared at this name after it was checked");
      }
      throw new NotRegularFileException(path.resolve(name).toString(), kind(name, before));
    }
    if (before != null && expected != null && !expected.equals(before.fileKey())) {
      throw changed(name);
    }
    SeekableByteChannel channel;
    ScheduledFuture<?> rescue =
        WATCHDOG.scheduleWithFixedDelay(
            () -> release(name), RESCUE_AFTER_MILLIS, RESCUE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
    try {
      channel = rawOpen(name, options);
    } finally {
      rescue.cancel(false);
    }
    try {
      if (channel instanceof FileChannel file) {
        // A pipe or socket cannot seek: this asks the open descriptor itself what it is.
        file.position();
      }
      BasicFileAttributes after = lstat(name);
      Object identity = before != null ? before.fileKey() : expected;
      if (!after.isRegularFile() || identity != null && !identity.equals(after.fileKey())) {
        throw after.isRegularFile() || after.isSymbolicLink()
            ? changed(name)
            : new NotRegularFileException(path.resolve(name).toString(), kind(name, after));
      }
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      if (e instanceof FileSystemException || e instanceof RuntimeException) {
        throw e;
      }
      // The descriptor cannot seek: what was opened is a pipe or socket, swapped in meanwhile.
      throw new NotRegularFileException(path.resolve(name).toString(), "a FIFO");
    }
  }

  /** Opens {@code name} (a regular file) for reading; see {@link #openRegular}. */
  public SeekableByteChannel openRegularForRead(String name, Object expected) throws IOException {
    return openRegular(name, Set.of(StandardOpenOption.READ), expected);
  }

  /**
   * Reads at most {@code limit} bytes of the regular file {@code name}; one byte more tells the
   * caller the file is longer (or grew while it was read).
   */
  public byte[] readAtMost(String name, Object expected, long limit) throws IOException {
    try (SeekableByteChannel channel = openRegularForRead(name, expected);
        InputStream in = Channels.newInputStream(channel)) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    }
  }

  /**
   * Releases an open blocked on a FIFO at {@code name}: opening it for reading and writing gives
   * the blocked side its partner (Linux never blocks such an open), after which the checks in
   * {@link #openRegular} refuse what was opened.
   */
  private void release(String name) {
    try (SeekableByteChannel ignored =
        rawOpen(name, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
      // Opened and closed: that is all the blocked open needs.
    } catch (IOException | RuntimeException e) {
      // Nothing blocked there any more, or the folder was closed: nothing to release.
    }
  }

  private FileSystemException changed(String name) {
    return new FileSystemException(
        path.resolve(name).toString(), null, "the file was replaced while it was being opened");
  }

  static Set<OpenOption> noFollow(Set<? extends OpenOption> options) {
    Set<OpenOption> all = new HashSet<>(options);
    all.add(LinkOption.NOFOLLOW_LINKS);
    return all;
  }

  /** Thrown for a name that is not a regular file, with what it is instead. */
  public static final class NotRegularFileException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    private final String kind;

    public NotRegularFileException(String file, String kind) {
      super(file, null, "is " + kind + ", not a regular file");
      this.kind = kind;
    }

    /** What the name is: "a FIFO", "a socket", "a character device"... */
    public String kind() {
      return kind;
    }
  }

  /** Every call through the open folder's descriptor. */
  private static final class Secure extends DirHandle {

    private final SecureDirectoryStream<Path> stream;
    private boolean listed;

    Secure(Path path, SecureDirectoryStream<Path> stream) {
      super(path);
      this.stream = stream;
    }

    @Override
    public boolean isSecure() {
      return true;
    }

    @Override
    public Object key() throws IOException {
      return stream.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
    }

    @Override
    public BasicFileAttributes lstat(String name) throws IOException {
      return stream
          .getFileAttributeView(
              relative(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .readAttributes();
    }

    @Override
    public DirHandle openDir(String name) throws IOException {
      return new Secure(
          path().resolve(name),
          stream.newDirectoryStream(relative(name), LinkOption.NOFOLLOW_LINKS));
    }

    @Override
    public List<String> list() throws IOException {
      if (listed) {
        // A directory stream iterates once; a second listing opens the folder afresh.
        try (DirHandle again = openDir(".")) {
          return again.list();
        }
      }
      listed = true;
      List<String> names = new ArrayList<>();
      try {
        for (Path entry : stream) {
          names.add(entry.getFileName().toString());
        }
      } catch (java.nio.file.DirectoryIteratorException e) {
        throw e.getCause();
      }
      return names;
    }

    @Override
    SeekableByteChannel rawOpen(String name, Set<? extends OpenOption> options) throws IOException {
      return stream.newByteChannel(relative(name), noFollow(options));
    }

    private Path relative(String name) {
      return path().getFileSystem().getPath(name);
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  /** Path-based calls, where the platform has no secure directory stream (Windows). */
  private static final class Plain extends DirHandle {

    Plain(Path path) {
      super(path);
    }

    @Override
    public boolean isSecure() {
      return false;
    }

    @Override
    public Object key() throws IOException {
      return Files.readAttributes(path(), BasicFileAttributes.class).fileKey();
    }

    @Override
    public BasicFileAttributes lstat(String name) throws IOException {
      return Files.readAttributes(
          path().resolve(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public DirHandle openDir(String name) throws IOException {
      Path dir = path().resolve(name);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new java.nio.file.NotDirectoryException(dir.toString());
      }
      return new Plain(dir);
    }

    @Override
    public List<String> list() throws IOException {
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(path())) {
        for (Path entry : stream) {
          names.add(entry.getFileName().toString());
        }
      }
      return names;
    }

    @Override
    SeekableByteChannel rawOpen(String name, Set<? extends OpenOption> options) throws IOException {
      return Files.newByteChannel(path().resolve(name), noFollow(options));
    }

    @Override
    public void close() {}
  }
}
