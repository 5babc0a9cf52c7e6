package dev.codepilot.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a user's daemons live and which one a command may use.
 *
 * <p>The folder is {@code $CODEPILOT_DAEMON_DIR}, else {@code $XDG_RUNTIME_DIR/codepilot}, else
 * {@code /tmp/codepilot-UID}. It must be a real folder (not a symbolic link) owned by the user with
 * mode 0700: that folder is what keeps other users away from the sockets, since the JDK cannot ask
 * a Unix socket who its peer is. Each daemon has a folder in it, {@code KEY-N}, with its socket,
 * its log and its description; KEY is a hash of everything the daemon's behaviour depends on (the
 * build, the JDK and JVM options, the working directory and the environment), so a daemon serves
 * only commands it would run exactly as a fresh process would.
 */
public final class DaemonFolders {

  /** At most this many daemons per user; the oldest idle one makes way for a new one. */
  public static final int MAX_DAEMONS = 4;

  /** Variables that differ between shells of one session and that no command depends on. */
  private static final Set<String> VOLATILE =
      Set.of("_", "SHLVL", "OLDPWD", "COLUMNS", "LINES", "PWD", "TERM_SESSION_ID", "WINDOWID");

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private DaemonFolders() {}

  /** The user's daemon folder, as the environment names it (not checked or created). */
  public static Path base(Map<String, String> env) throws IOException {
    String explicit = env.get("CODEPILOT_DAEMON_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit).toAbsolutePath();
    }
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
      return Path.of(runtime, "codepilot");
    }
    return Path.of("/tmp", "codepilot-" + uid());
  }

  /**
   * Creates the folder (mode 0700) when missing, then checks it.
   *
   * @throws IOException naming the folder and what is wrong with it
   */
  public static Path prepare(Path base) throws IOException {
    if (!Files.exists(base, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(base.getParent());
      try {
        Files.createDirectory(base, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // Another client made it meanwhile; it is checked below like any other.
      }
      // The umask may have taken bits away, never added any; set exactly what is meant.
      Files.setPosixFilePermissions(base, OWNER_ONLY);
    }
    check(base);
    return base;
  }

  /**
   * Refuses a folder another user could reach into.
   *
   * @throws IOException naming the folder and what is wrong with it
   */
  public static void check(Path base) throws IOException {
    if (Files.isSymbolicLink(base)) {
      throw new IOException(base + " is a symbolic link; the daemon folder must be a real folder");
    }
    if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(base + " is not a folder");
    }
    int owner = (Integer) Files.getAttribute(base, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (owner != uid()) {
      throw new IOException(base + " belongs to user id " + owner + ", not to you (" + uid() + ")");
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(base, LinkOption.NOFOLLOW_LINKS);
    if (!mode.equals(OWNER_ONLY)) {
      throw new IOException(
          base
              + " has mode "
              + PosixFilePermissions.toString(mode)
              + "; it must be rwx------ (chmod 700 it, or remove it)");
    }
  }

  /**
   * The key of the daemons a command may use: a hash of the build, the JVM's command line, the
   * working directory and the environment without its {@link #VOLATILE} variables.
   */
  public static String key(
      String build, List<String> javaCommand, Path workingDir, Map<String, String> env) {
    StringBuilder text = new StringBuilder();
    text.append("protocol=").append(Connection.PROTOCOL).append('\0');
    text.append("build=").append(build).append('\0');
    for (String part : javaCommand) {
      text.append("jvm=").append(part).append('\0');
    }
    text.append("dir=").append(workingDir).append('\0');
    new TreeMap<>(env)
        .forEach(
            (name, value) -> {
              if (!VOLATILE.contains(name)) {
                text.append("env=").append(name).append('=').append(value).append('\0');
              }
            });
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The folder of daemon {@code slot} of {@code key}. */
  public static Path daemon(Path base, String key, int slot) {
    return base.resolve(key + "-" + slot);
  }

  /** Every daemon folder in {@code base} that has a socket (live or stale). */
  public static List<Path> all(Path base) throws IOException {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(base)) {
      return found;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
      for (Path entry : entries) {
        if (Files.exists(socket(entry), LinkOption.NOFOLLOW_LINKS)) {
          found.add(entry);
        }
      }
    }
    found.sort(null);
    return found;
  }

  /** The socket in a daemon's folder. */
  public static Path socket(Path daemonFolder) {
    return daemonFolder.resolve("daemon.sock");
  }

  /** The log in a daemon's folder: everything it printed outside commands. */
  public static Path log(Path daemonFolder) {
    return daemonFolder.resolve("daemon.log");
  }

  /** The build identity of the given class path: each entry's name, size and time. */
  public static String build(String classPath) {
    StringBuilder text = new StringBuilder();
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      text.append(entry);
      try {
        text.append(':')
            .append(Files.size(path))
            .append(':')
            .append(Files.getLastModifiedTime(path).toMillis());
      } catch (IOException e) {
        text.append(":absent");
      }
      text.append('\n');
    }
    return text.toString();
  }

  private static Integer uidCache;

  /** The user id of this process: the owner of a file it creates. */
  public static synchronized int uid() throws IOException {
    if (uidCache == null) {
      Path probe = Files.createTempFile("codepilot-uid", ".tmp");
      try {
        uidCache = (Integer) Files.getAttribute(probe, "unix:uid");
      } finally {
        Files.deleteIfExists(probe);
      }
    }
    return uidCache;
  }
}
