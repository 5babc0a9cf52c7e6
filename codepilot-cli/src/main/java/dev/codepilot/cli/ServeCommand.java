package dev.codepilot.cli;

import dev.codepilot.config.AgentFileException;
import dev.codepilot.exception.ConfinementException;
import dev.codepilot.internal.TerminalText;
import dev.codepilot.model.ModelException;
import dev.codepilot.server.AgentServer;
import dev.codepilot.server.ServerException;
import dev.codepilot.session.SessionException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code codepilot serve AGENT_FILE}: the agent over HTTP and WebSocket, with a browser UI. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve an agent over HTTP and WebSocket, with a browser UI, until Ctrl-C.",
      "Every API request needs 'Authorization: Bearer <token>'. The token comes from the"
          + " environment variable CODEPILOT_TOKEN, or is generated and printed at start.",
      "Exit codes: 0 stopped, 2 bad usage, agent file or address."
    })
final class ServeCommand implements Callable<Integer> {

  static final String TOKEN_VARIABLE = "CODEPILOT_TOKEN";

  @Parameters(index = "0", paramLabel = "AGENT_FILE", description = "The agent's YAML file.")
  Path agentFile;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}). Anything but a loopback"
              + " address exposes the agent, and its tools, to the network.")
  String host;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--session-dir",
      paramLabel = "DIR",
      description = "Where session files are kept (default: ~/.codepilot/sessions).")
  Path sessionDir;

  @Option(
      names = "--session-store",
      paramLabel = "URL",
      description =
          "Keep the sessions in this session database instead of files, e.g."
              + " jdbc:postgresql://host/db?user=u&password=p; servers sharing one database serve"
              + " the same sessions.")
  String sessionStore;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "15m",
      converter = DurationConverter.class,
      description =
          "Close a session's runtime after it has been idle this long; it is resumed"
              + " from disk on its next use (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(
      names = "--answer-timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description =
          "How long a permission request or question waits for the browser before it"
              + " is denied, or answered with an empty string (default: ${DEFAULT-VALUE}).")
  Duration answerTimeout;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be between 0 and 65535, not " + port);
    }
    quietServerLogs();
    PrintStream out = System.out;
    PrintStream err = System.err;
    AgentServer server = build(System.getenv(TOKEN_VARIABLE), err);
    try {
      server.start();
    } catch (ServerException e) {
      throw new UsageException(e.getMessage());
    }
    Thread stopper =
        new Thread(
            () -> {
              err.println("codepilot: stopping: aborting runs and saving sessions...");
              server.close();
              // The runs have ended: their last spans go out before the JVM does.
              Telemetry.close();
            },
            "codepilot-serve-stop");
    Runtime.getRuntime().addShutdownHook(stopper);

    if (!server.isLoopbackOnly()) {
      err.println(
          "WARNING: listening on "
              + TerminalText.line(host)
              + ", which is not a loopback address."
              + " Anyone who can reach this port and has the token can run the agent and its tools"
              + " on this machine. Prefer --host 127.0.0.1 behind an HTTPS reverse proxy.");
    }
    out.println("CodePilot is serving the agent at " + TerminalText.line(server.url().toString()));
    out.println("Open in your browser: " + TerminalText.line(server.browserUrl().toString()));
    out.println(
        "API token (send as 'Authorization: Bearer <token>'): "
            + TerminalText.line(server.token()));
    out.println("Press Ctrl-C to stop.");
    out.flush();
    server.awaitStop();
    return ExitCodes.DONE;
  }

  private AgentServer build(String tokenFromEnvironment, PrintStream err) {
    AgentServer.Builder builder;
    try {
      builder = AgentServer.builder(agentFile);
    } catch (AgentFileException e) {
      throw new UsageException(e.getMessage());
    }
    try {
      builder.host(host).port(port).idleTimeout(idleTimeout).answerTimeout(answerTimeout);
      if (sessionDir != null && sessionStore != null) {
        throw new UsageException("give either --session-dir or --session-store, not both");
      }
      if (sessionDir != null) {
        builder.sessionDir(sessionDir);
      }
      if (sessionStore != null) {
        builder.sessionStore(sessionStore);
      }
      Telemetry.get()
          .ifPresent(
              telemetry ->
                  builder
                      .configureRuntime(telemetry::install)
                      .wrapRuns(telemetry::withRequestContext));
      if (tokenFromEnvironment != null && !tokenFromEnvironment.isEmpty()) {
        builder.token(tokenFromEnvironment);
        if (tokenFromEnvironment.length() < 16) {
          err.println(
              "WARNING: "
                  + TOKEN_VARIABLE
                  + " is shorter than 16 characters; a"
                  + " longer random token is much harder to guess.");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          e.getMessage() + (tokenFromEnvironment != null ? " (check " + TOKEN_VARIABLE + ")" : ""));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException | ConfinementException | SessionException e) {
      throw new UsageException(e.getMessage());
    } catch (ModelException e) {
      throw new UsageException(agentFile + ": " + e.getMessage());
    }
  }

  /** The web server logs through SLF4J; only warnings and errors belong on the console. */
  private static void quietServerLogs() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
      System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }
  }

  /** Reads {@code 90s}, {@code 15m}, {@code 2h}, {@code 500ms}, plain seconds or ISO-8601. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
      String text = value.strip().toLowerCase(Locale.ROOT);
      Matcher m = SHORT.matcher(text);
      Duration duration;
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        duration =
            switch (unit) {
              case "ms" -> Duration.ofMillis(amount);
              case "m" -> Duration.ofMinutes(amount);
              case "h" -> Duration.ofHours(amount);
              default -> Duration.ofSeconds(amount);
            };
      } else {
        try {
          duration = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
          throw new CommandLine.TypeConversionException(
              "'" + value + "' is not a duration;" + " write for example 90s, 15m, 2h or 500ms");
        }
      }
      if (duration.isZero() || duration.isNegative()) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' must be longer than" + " zero");
      }
      return duration;
    }
  }
}
