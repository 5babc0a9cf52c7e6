package dev.codepilot.session;

import dev.codepilot.model.Message;
import dev.codepilot.session.SessionFileFormat.InvalidSessionFile;
import dev.codepilot.session.SessionFileFormat.Stored;
import dev.codepilot.session.SessionFileFormat.UnreadableSessionFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * History kept in {@code <sessionDir>/<sessionId>.json}, in the reference's file format, so that a
 * later process resumes the conversation. Thread-safe.
 *
 * <pre>{@code
 * try (FileSession session = new FileSession("ecommerce-api", "BackendEngineer")) {
 *   List<Message> history = session.load();   // takes the lock
 *   session.save(updatedHistory);              // durable: old or new file, never half of one
 * }
 * }</pre>
 *
 * <p><b>One writer.</b> The first {@link #load}, {@link #save} or {@link #reset} takes an exclusive
 * OS lock on {@code <sessionId>.lock} beside the file and holds it until {@link #close}; a second
 * session on the same id, in this JVM or another process, gets a {@link SessionException} instead
 * of interleaving its saves. Constructing a {@code FileSession} and calling {@link #exists}, {@link
 * #metadata}, {@link #listSessions} or {@link #path} never locks and never creates anything, so a
 * throw-away instance (or the static {@link #list} and {@link #metadata(Path, String)}) can inspect
 * sessions that a running agent holds. The lock dies with its process: a lock file left by a killed
 * process blocks nobody.
 *
 * <p><b>Durability.</b> Every save writes a temporary file in the same directory, forces it to
 * disk, renames it over the old file in one step and forces the directory, so a crash leaves either
 * the previous or the new complete history. New files are readable by their owner only, where the
 * file system has POSIX permissions: conversations can contain secrets.
 *
 * <p><b>Damaged files.</b> A file that is not a complete session file is never replaced by an empty
 * history: {@link #load} moves it aside to {@code <sessionId>.json.corrupt-<UTC time>} and throws a
 * {@link SessionException} saying what is wrong and where the file was kept.
 *
 * <p>Session ids name files, so they are restricted to ASCII letters, digits, {@code -}, {@code _}
 * and {@code .} (see {@link Sessions#defaultSessionId} for deriving one from an agent name);
 * anything else is refused with an {@link IllegalArgumentException}.
 */
public final class FileSession implements Session {

  private static final System.Logger LOG = System.getLogger(FileSession.class.getName());

  private static final DateTimeFormatter ASIDE_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private static final String EXTENSION = ".json";

  private final String sessionId;
  private final String agentName;
  private final Path directory;
  private final Path file;
  private final Clock clock;

  private final ReentrantLock guard = new ReentrantLock();
  private SessionLock lock;
  private boolean closed;

  /** The file's created_at once known, so that it is kept across saves. */
  private Instant createdAt;

  /** A session in the default directory, {@code ~/.codepilot/sessions/}. */
  public FileSession(String sessionId, String agentName) {
    this(sessionId, agentName, null);
  }

  /**
   * A session in {@code sessionDir}, or in the default directory when it is null. Nothing is read
   * or created until first use; the directory is created by the first save.
   *
   * @param sessionId the session's id, used as the file name
   * @param agentName the agent's name, recorded in the file; may be empty
   * @throws IllegalArgumentException when {@code sessionId} is not a safe file name
   */
  public FileSession(String sessionId, String agentName, Path sessionDir) {
    this(sessionId, agentName, sessionDir, Clock.systemUTC());
  }

  FileSession(String sessionId, String agentName, Path sessionDir, Clock clock) {
    this.sessionId = SessionIds.requireValid(sessionId);
    this.agentName = Objects.requireNonNull(agentName, "agentName");
    this.directory = directoryOrDefault(sessionDir);
    this.file = directory.resolve(sessionId + EXTENSION);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  /** The agent name this session records in its file. */
  public String agentName() {
    return agentName;
  }

  /** The session directory, absolute. */
  public Path directory() {
    return directory;
  }

  /** The session file, {@code <directory>/<sessionId>.json}, whether or not it exists. */
  public Path path() {
    return file;
  }

  /** True when the session file exists. Takes no lock. */
  public boolean exists() {
    return Files.isRegularFile(file);
  }

  /**
   * The saved session's metadata, read in one streaming pass without decoding the messages. Takes
   * no lock.
   *
   * @return empty when there is no session file
   * @throws SessionException when the file exists but cannot be read or is damaged (it is left
   *     where it is; only {@link #load} moves damaged files aside)
   */
  public Optional<SessionInfo> metadata() {
    return readInfo(sessionId, file);
  }

  /**
   * The metadata of session {@code sessionId} in {@code sessionDir} (the default directory when
   * null), without locking or creating anything.
   *
   * @throws IllegalArgumentException when {@code sessionId} is not a valid id
   * @throws SessionException when the file exists but cannot be read or is damaged
   */
  public static Optional<SessionInfo> metadata(Path sessionDir, String sessionId) {
    SessionIds.requireValid(sessionId);
    return readInfo(sessionId, directoryOrDefault(sessionDir).resolve(sessionId + EXTENSION));
  }

  /**
   * The saved history of session {@code sessionId} in {@code sessionDir} (the default directory
   * when null), oldest first, read without locking, moving or creating anything: a session that a
   * running agent holds can be shown while it works (saves replace the file in one step, so a
   * reader sees a whole history).
   *
   * @return empty when there is no session file
   * @throws IllegalArgumentException when {@code sessionId} is not a valid id
   * @throws SessionException when the file exists but cannot be read or is damaged; it is left as
   *     it is
   */
  public static Optional<List<Message>> readMessages(Path sessionDir, String sessionId) {
    SessionIds.requireValid(sessionId);
    Path file = directoryOrDefault(sessionDir).resolve(sessionId + EXTENSION);
    try {
      return Optional.of(SessionFileFormat.read(file, true).messages());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SessionException("cannot read session file " + file + ": " + e, file, e);
    } catch (InvalidSessionFile | UnreadableSessionFile e) {
      throw new SessionException(
          "session file " + file + " cannot be read: " + e.getMessage(), file, e);
    }
  }

  /**
   * Every readable session in this session's directory, most recently updated first. Damaged or
   * unreadable files are left out; {@link #list} reports them. Takes no lock.
   */
  public List<SessionInfo> listSessions() {
    return list(directory).sessions();
  }

  /**
   * Every session file in {@code sessionDir} (the default directory when null): the readable ones,
   * most recently updated first, and the {@code *.json} files that were skipped, with the reason. A
   * missing directory has no sessions. Locks and creates nothing.
   *
   * @throws SessionException when the directory exists but cannot be listed
   */
  public static SessionListing list(Path sessionDir) {
    Path dir = directoryOrDefault(sessionDir);
    List<SessionInfo> sessions = new ArrayList<>();
    List<SessionListing.Skipped> skipped = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + EXTENSION)) {
      for (Path candidate : files) {
        String name = candidate.getFileName().toString();
        // Hidden names are temporary files (ids never start with a dot).
        if (name.startsWith(".") || !Files.isRegularFile(candidate)) {
          continue;
        }
        String id = name.substring(0, name.length() - EXTENSION.length());
        if (!SessionIds.isValid(id)) {
          skipped.add(
              new SessionListing.Skipped(
                  candidate, "the file name is not a valid session id: " + SessionIds.RULES));
          continue;
        }
        try {
          sessions.add(info(id, candidate, SessionFileFormat.read(candidate, false)));
        } catch (NoSuchFileException goneMeanwhile) {
          continue;
        } catch (InvalidSessionFile | UnreadableSessionFile e) {
          skipped.add(new SessionListing.Skipped(candidate, e.getMessage()));
        } catch (IOException e) {
          skipped.add(new SessionListing.Skipped(candidate, "cannot read it: " + e));
        }
      }
    } catch (NoSuchFileException e) {
      return new SessionListing(List.of(), List.of());
    } catch (IOException e) {
      throw new SessionException("cannot list the session directory " + dir + ": " + e, dir, e);
    }
    sessions.sort(
        Comparator.comparing(SessionInfo::updatedAt)
            .reversed()
            .thenComparing(SessionInfo::sessionId));
    skipped.sort(Comparator.comparing(SessionListing.Skipped::path));
    return new SessionListing(sessions, skipped);
  }

  /**
   * Takes the lock and reads the saved history; empty when there is no file yet.
   *
   * @throws SessionException when another session holds the lock, the file cannot be read, or it is
   *     damaged; a damaged file has then been moved aside and the message says where
   */
  @Override
  public List<Message> load() {
    guard.lock();
    try {
      lockFile();
      Stored stored;
      try {
        stored = readLocked(true);
      } catch (InvalidSessionFile e) {
        Path aside = moveAside(e);
        throw new SessionException(
            damaged(e)
                + ". It was kept as "
                + aside
                + " so that nothing"
                + " overwrites it; loading again starts an empty history. Inspect or restore that"
                + " file.",
            file,
            e);
      }
      if (stored == null) {
        return List.of();
      }
      createdAt = stored.createdAt();
      return stored.messages();
    } finally {
      guard.unlock();
    }
  }

  /**
   * Takes the lock and replaces the saved history with {@code messages}, keeping the file's {@code
   * created_at}. A damaged file found in the way is moved aside first, never overwritten.
   *
   * @throws SessionException when another session holds the lock or the file cannot be written (the
   *     message names the file and the cause); the previous file is then unchanged
   */
  @Override
  public void save(List<Message> messages) {
    List<Message> snapshot = List.copyOf(messages);
    guard.lock();
    try {
      lockFile();
      Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
      if (createdAt == null) {
        createdAt = createdAtOfExistingFile().orElse(now);
      }
      Instant created = createdAt;
      DurableFiles.replace(
          file, out -> SessionFileFormat.write(out, sessionId, agentName, created, now, snapshot));
    } catch (IOException e) {
      throw new SessionException(
          "cannot save session '"
              + sessionId
              + "' to "
              + file
              + ": "
              + e
              + "; the previously saved history is unchanged",
          file,
          e);
    } finally {
      guard.unlock();
    }
  }

  /**
   * Takes the lock and deletes the session file; the next save starts a new history. The lock stays
   * held. Files moved aside earlier are kept.
   *
   * @throws SessionException when another session holds the lock or the file cannot be deleted
   */
  @Override
  public void reset() {
    guard.lock();
    try {
      lockFile();
      DurableFiles.delete(file);
      createdAt = null;
    } catch (IOException e) {
      throw new SessionException(
          "cannot delete session file " + file + " of session '" + sessionId + "': " + e, file, e);
    } finally {
      guard.unlock();
    }
  }

  /**
   * Releases the lock. Afterwards {@link #load}, {@link #save} and {@link #reset} throw {@link
   * IllegalStateException}; the read-only methods still work. Idempotent.
   */
  @Override
  public void close() {
    guard.lock();
    try {
      closed = true;
      if (lock != null) {
        lock.release();
        lock = null;
      }
    } finally {
      guard.unlock();
    }
  }

  @Override
  public String toString() {
    return "FileSession[" + sessionId + " at " + file + "]";
  }

  private void lockFile() {
    if (closed) {
      throw new IllegalStateException("session '" + sessionId + "' is closed");
    }
    if (lock != null) {
      return;
    }
    lock = SessionLock.acquire(sessionId, directory.resolve(sessionId + ".lock"), file);
    try {
      DurableFiles.deleteTemporaryFiles(file);
    } catch (IOException e) {
      // Strays cost only disk space; they are never read.
      LOG.log(System.Logger.Level.DEBUG, "could not remove temporary files of " + file, e);
    }
  }

  /** The file's created_at; a damaged file is moved aside (with a warning) so a save can go on. */
  private Optional<Instant> createdAtOfExistingFile() {
    try {
      Stored stored = readLocked(false);
      return stored == null ? Optional.empty() : Optional.of(stored.createdAt());
    } catch (InvalidSessionFile e) {
      Path aside = moveAside(e);
      LOG.log(
          System.Logger.Level.WARNING,
          damaged(e) + ". It was kept as " + aside + "; saving a new history in its place.");
      return Optional.empty();
    }
  }

  /** Reads the file under the lock; null when there is none. */
  private Stored readLocked(boolean withMessages) throws InvalidSessionFile {
    try {
      return SessionFileFormat.read(file, withMessages);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new SessionException(
          "cannot read session file " + file + " of session '" + sessionId + "': " + e, file, e);
    } catch (UnreadableSessionFile e) {
      throw new SessionException(
          "cannot read session file "
              + file
              + " of session '"
              + sessionId
              + "': "
              + e.getMessage()
              + "; the file was left as it is",
          file,
          e);
    }
  }

  /**
   * Moves the damaged session file aside and returns where it went; when that fails, throws, so
   * that nothing is ever written over it.
   */
  private Path moveAside(InvalidSessionFile problem) {
    try {
      return DurableFiles.moveAside(file, "corrupt-" + ASIDE_TIME.format(clock.instant()));
    } catch (IOException e) {
      SessionException failure =
          new SessionException(
              damaged(problem)
                  + ". It could not be"
                  + " moved aside ("
                  + e
                  + ") and is left in place; this session will not overwrite it."
                  + " Repair, move or delete it.",
              file,
              problem);
      failure.addSuppressed(e);
      throw failure;
    }
  }

  private String damaged(InvalidSessionFile problem) {
    return "session file "
        + file
        + " of session '"
        + sessionId
        + "' is damaged: "
        + problem.getMessage();
  }

  private static Optional<SessionInfo> readInfo(String sessionId, Path file) {
    try {
      return Optional.of(info(sessionId, file, SessionFileFormat.read(file, false)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SessionException("cannot read session file " + file + ": " + e, file, e);
    } catch (InvalidSessionFile | UnreadableSessionFile e) {
      throw new SessionException(
          "session file " + file + " cannot be read: " + e.getMessage(), file, e);
    }
  }

  private static SessionInfo info(String sessionId, Path file, Stored stored) {
    return new SessionInfo(
        sessionId,
        stored.agentName(),
        stored.createdAt(),
        stored.updatedAt(),
        stored.messageCount(),
        file);
  }

  private static Path directoryOrDefault(Path sessionDir) {
    Path dir = sessionDir != null ? sessionDir : Sessions.defaultDirectory();
    return dir.toAbsolutePath().normalize();
  }
}
