package dev.codepilot.session;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Crash-safe file replacement: write a temporary file beside the target, force it to disk, rename
 * it over the target in one step, then force the directory entry. A crash at any point leaves
 * either the old or the new complete file, plus at most one stray temporary file, which {@link
 * #deleteTemporaryFiles} removes.
 *
 * <p>Temporary files are named {@code .<target name>.<16 hex digits>.tmp}: hidden, and never a name
 * a session id can produce, because ids do not start with a dot.
 */
final class DurableFiles {

  /** Writes the new content; must not close the stream. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static final System.Logger LOG = System.getLogger(DurableFiles.class.getName());

  private static final SecureRandom RANDOM = new SecureRandom();

  private DurableFiles() {}

  /**
   * Replaces {@code target} with what {@code content} writes. On any failure the temporary file is
   * removed and {@code target} is as it was.
   */
  static void replace(Path target, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve(temporaryName(target));
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              ownerOnly(dir))) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      move(temp, target);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    syncDirectory(dir);
  }

  /** Deletes a file and makes the deletion durable; false when there was no file. */
  static boolean delete(Path file) throws IOException {
    boolean deleted = Files.deleteIfExists(file);
    if (deleted) {
      syncDirectory(file.toAbsolutePath().getParent());
    }
    return deleted;
  }

  /**
   * Renames {@code file} to {@code <name>.<suffix>} in the same directory, adding {@code -2},
   * {@code -3}, ... when that name is taken; never replaces an existing file.
   *
   * @return where the file now is
   */
  static Path moveAside(Path file, String suffix) throws IOException {
    String base = file.getFileName() + "." + suffix;
    for (int attempt = 1; ; attempt++) {
      Path aside = file.resolveSibling(attempt == 1 ? base : base + "-" + attempt);
      try {
        // No ATOMIC_MOVE: with it, an existing target may be silently replaced.
        Files.move(file, aside);
        syncDirectory(file.toAbsolutePath().getParent());
        return aside;
      } catch (FileAlreadyExistsException taken) {
        if (attempt >= 1000) {
          throw taken;
        }
      }
    }
  }

  /** Removes temporary files that an interrupted {@link #replace} of {@code target} left. */
  static void deleteTemporaryFiles(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Pattern pattern =
        Pattern.compile(Pattern.quote("." + target.getFileName() + ".") + "[0-9a-f]{16}\\.tmp");
    try (DirectoryStream<Path> stray =
        Files.newDirectoryStream(dir, p -> pattern.matcher(p.getFileName().toString()).matches())) {
      for (Path file : stray) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * Forces a directory's entries to disk, so that a rename or delete survives a power loss. Where
   * directories cannot be opened (Windows) this does nothing; there the rename itself is journaled
   * by the file system. A failure is logged, not thrown: the rename or delete it follows has
   * already happened, and reporting the operation as failed would be wrong.
   */
  static void syncDirectory(Path dir) {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException notSupported) {
      return;
    }
    try (channel) {
      channel.force(true);
    } catch (IOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "could not force directory "
              + dir
              + " to disk;"
              + " its last change may not survive a power loss",
          e);
    }
  }

  /** Creation attributes giving only the owner access, where the file system has POSIX modes. */
  static FileAttribute<?>[] ownerOnly(Path dir) {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    Set<PosixFilePermission> readWrite = PosixFilePermissions.fromString("rw-------");
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(readWrite)};
  }

  private static String temporaryName(Path target) {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "." + target.getFileName() + "." + HexFormat.of().formatHex(bytes) + ".tmp";
  }

  private static void move(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
