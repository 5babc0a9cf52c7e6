package dev.codepilot.testing.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for one test class: {@code initdb} in a temporary directory, a free port
 * on 127.0.0.1, password authentication, stopped (and deleted) after the class. Uses Debian's
 * {@code postgresql} package ({@code /usr/lib/postgresql/<version>/bin}); when it runs as root, the
 * server runs as the {@code postgres} user, since PostgreSQL refuses root.
 *
 * <p>Without PostgreSQL installed the tests are skipped, unless {@code
 * CODEPILOT_REQUIRE_POSTGRES=1} (CI sets it): then they fail.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresServer PG = new PostgresServer();
 * ... PG.newDatabase() ...
 * }</pre>
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

  public static final String USER = "postgres";
  public static final String PASSWORD = "s3cret-test";

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private Path bin;
  private Path home;
  private Path data;
  private int port;
  private boolean asPostgresUser;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    destroy();
  }

  /** Starts a fresh server, or skips (or fails, in CI) when PostgreSQL is not installed. */
  public void start() throws IOException, InterruptedException {
    bin = findBin();
    if (bin == null) {
      String why =
          "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb);"
              + " apt-get install -y postgresql";
      if ("1".equals(System.getenv("CODEPILOT_REQUIRE_POSTGRES"))) {
        throw new IllegalStateException(why + " (CODEPILOT_REQUIRE_POSTGRES=1)");
      }
      Assumptions.abort(why);
    }
    asPostgresUser = "root".equals(System.getProperty("user.name"));
    home = Files.createTempDirectory("codepilot-pg");
    data = home.resolve("data");
    Path pwfile = home.resolve("pw");
    Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
    if (asPostgresUser) {
      chownToPostgres(home);
      chownToPostgres(pwfile);
    }
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            USER,
            "--pwfile=" + pwfile,
            "-A",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--no-sync"),
        120);
    port = freePort();
    startServer();
  }

  /** Starts the server again on the same data and port (after {@link #stop}). */
  public void startServer() throws IOException, InterruptedException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            home.resolve("log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p "
                + port
                + " -k "
                + home
                + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c max_connections=200",
            "start"),
        90);
  }

  /** Stops the server at once, as a crash would, keeping its data. */
  public void stop() throws IOException, InterruptedException {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-m",
            "immediate",
            "-w",
            "stop"),
        60);
  }

  public void destroy() throws IOException, InterruptedException {
    if (data != null && Files.exists(data.resolve("postmaster.pid"))) {
      stop();
    }
    if (home != null) {
      try (Stream<Path> files = Files.walk(home)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  public int port() {
    return port;
  }

  /** A URL of the server's own database, without credentials. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A new, empty database; returns its URL without credentials. */
  public String newDatabase() throws SQLException {
    String name = "t" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  /**
   * Ends every connection to {@code database} (a network cut, seen from clients) and returns once
   * their server processes are gone, with the session locks they held: without a timeout,
   * pg_terminate_backend only sends the signal, and a client connecting at once could still find a
   * lock held.
   */
  public void terminateClients(String database) throws SQLException {
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '"
              + database
              + "' AND pid <> pg_backend_pid()");
    }
  }

  private void run(List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path out = Files.createTempFile("codepilot-pg-cmd", ".log");
    try {
      Process p =
          new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + full);
      }
      if (p.exitValue() != 0) {
        String log = Files.exists(home.resolve("log")) ? Files.readString(home.resolve("log")) : "";
        throw new IOException(
            full + " failed (" + p.exitValue() + "): " + Files.readString(out) + log);
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static Path findBin() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())))
          .orElse(null);
    }
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void chownToPostgres(Path path) throws IOException {
    UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal user = lookup.lookupPrincipalByName("postgres");
    GroupPrincipal group = lookup.lookupPrincipalByGroupName("postgres");
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    view.setOwner(user);
    view.setGroup(group);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
