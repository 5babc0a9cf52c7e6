package dev.codepilot.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The file system of a sandbox context: there is none. Every operation fails with an {@link
 * AccessDeniedException}, which GraalPy turns into a {@code PermissionError} that a block can
 * catch, where {@code IOAccess.NONE} throws a host {@code SecurityException} that Python cannot
 * catch and that takes the interpreter down with the block's variables. Paths are only parsed;
 * relative ones are made absolute against {@code /} without touching the host, so nothing about the
 * host's folders reaches the guest. The interpreter's own standard library is reached through
 * {@link FileSystem#allowLanguageHomeAccess}, read-only.
 */
final class NoFileSystem implements FileSystem {

  private static final Path ROOT = Path.of("/");

  /** The file system for a sandbox context: none, plus the standard library, read-only. */
  static FileSystem create() {
    return FileSystem.newReadOnlyFileSystem(FileSystem.allowLanguageHomeAccess(new NoFileSystem()));
  }

  private NoFileSystem() {}

  private static AccessDeniedException denied(Path path) {
    return new AccessDeniedException(
        String.valueOf(path), null, "the sandbox has no file system; use the tools to reach files");
  }

  @Override
  public Path parsePath(URI uri) {
    if (!"file".equals(uri.getScheme())) {
      throw new UnsupportedOperationException("only file: URIs are paths");
    }
    return Path.of(uri.getPath());
  }

  @Override
  public Path parsePath(String path) {
    return Path.of(path);
  }

  @Override
  public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... options)
      throws IOException {
    throw denied(path);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    throw denied(dir);
  }

  @Override
  public void delete(Path path) throws IOException {
    throw denied(path);
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    throw denied(path);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    throw denied(dir);
  }

  @Override
  public Path toAbsolutePath(Path path) {
    return path.isAbsolute() ? path : ROOT.resolve(path);
  }

  @Override
  public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
    throw denied(path);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    throw denied(path);
  }
}
