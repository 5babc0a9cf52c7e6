package dev.codepilot.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive OS lock on a session's sidecar lock file ({@code <id>.lock}), held from {@link
 * #acquire} until {@link #release}.
 *
 * <p>Only the lock counts, not the file: the OS drops the lock when its process dies, so a lock
 * file left behind by a killed process blocks nobody, and lock files are never deleted (deleting
 * one would let two holders lock two different files of the same name).
 *
 * <p>Within one JVM a registry of held locks answers first. OS file locks belong to the whole
 * process, and on POSIX systems closing <em>any</em> channel on a file drops every lock the process
 * holds on it, so a second session must find out that the lock is taken without ever opening the
 * lock file.
 */
final class SessionLock {

  /** Held locks by lock file identity (inode where the file system has one). */
  private static final Map<Object, SessionLock> HELD = new HashMap<>();

  /** Guards {@link #HELD}; not {@code synchronized}, which would pin virtual threads in I/O. */
  private static final ReentrantLock REGISTRY = new ReentrantLock();

  private final Object key;
  private final FileChannel channel;
  private final FileLock lock;

  private SessionLock(Object key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of session {@code sessionId}, creating the directory and the lock file when
   * missing, and writes this process's id into the lock file for the error message others see.
   *
   * @throws SessionException when another session in this JVM or another process holds it, or the
   *     lock file cannot be created or locked
   */
  static SessionLock acquire(String sessionId, Path lockFile, Path sessionFile) {
    REGISTRY.lock();
    try {
      Object key;
      try {
        Files.createDirectories(lockFile.getParent());
        try {
          Files.createFile(lockFile, DurableFiles.ownerOnly(lockFile.getParent()));
        } catch (FileAlreadyExistsException alreadyThere) {
          // A lock file from an earlier holder, alive or dead; the lock below decides.
        }
        key = identity(lockFile);
      } catch (IOException e) {
        throw new SessionException(
            "cannot create the lock file " + lockFile + " of session '" + sessionId + "': " + e,
            sessionFile,
            e);
      }
      if (HELD.containsKey(key)) {
        throw inUse(sessionId, "another runtime in this process", lockFile, sessionFile);
      }
      FileChannel channel = null;
      try {
        channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
          String holder = readHolder(channel);
          channel.close();
          throw inUse(sessionId, "another process" + holder, lockFile, sessionFile);
        }
        writeHolder(channel);
        SessionLock held = new SessionLock(key, channel, lock);
        HELD.put(key, held);
        return held;
      } catch (OverlappingFileLockException e) {
        // Locked through a channel this registry does not know (another class loader).
        closeQuietly(channel);
        throw inUse(sessionId, "another runtime in this process", lockFile, sessionFile);
      } catch (IOException e) {
        closeQuietly(channel);
        throw new SessionException(
            "cannot lock " + lockFile + " for session '" + sessionId + "': " + e, sessionFile, e);
      }
    } finally {
      REGISTRY.unlock();
    }
  }

  /** Drops the lock; the lock file stays. */
  void release() {
    REGISTRY.lock();
    try {
      HELD.remove(key, this);
      try {
        lock.release();
      } catch (IOException ignored) {
        // Closing the channel below releases the lock as well.
      }
      closeQuietly(channel);
    } finally {
      REGISTRY.unlock();
    }
  }

  private static SessionException inUse(
      String sessionId, String holder, Path lockFile, Path sessionFile) {
    return new SessionException(
        "session '"
            + sessionId
            + "' is in use by "
            + holder
            + " (lock file "
            + lockFile
            + "); close the session there first, or use another"
            + " session id",
        sessionFile);
  }

  private static Object identity(Path lockFile) throws IOException {
    Object fileKey = Files.readAttributes(lockFile, BasicFileAttributes.class).fileKey();
    return fileKey != null ? fileKey : lockFile.toRealPath();
  }

  /** " (pid N)" from the lock file, or "" when it holds nothing readable (Windows locks reads). */
  private static String readHolder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(64);
      channel.read(buffer, 0);
      String text =
          new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
      return text.matches("pid \\d+") ? ", " + text : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void writeHolder(FileChannel channel) throws IOException {
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap(
            ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
        0);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing useful to do: the channel is gone either way.
      }
    }
  }
}
