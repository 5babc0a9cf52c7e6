package dev.codepilot.server;

import dev.codepilot.AgentRuntime;
import dev.codepilot.CodePilot;
import dev.codepilot.config.AgentConfig;
import dev.codepilot.config.AgentFile;
import dev.codepilot.config.AgentFileException;
import dev.codepilot.model.ChatModel;
import dev.codepilot.model.ChatModels;
import dev.codepilot.model.ModelException;
import dev.codepilot.session.SessionException;
import dev.codepilot.session.SessionStore;
import dev.codepilot.session.SessionStores;
import dev.codepilot.session.Sessions;
import dev.codepilot.tools.CommandJail;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Serves one agent over HTTP and WebSocket, with a browser UI: every session id gets its own
 * file-backed {@link AgentRuntime}, runs go on in the background, and each session's events stream
 * to its WebSocket clients as the JSON objects {@code codepilot run --json} prints.
 *
 * <pre>{@code
 * try (AgentServer server = AgentServer.builder(Path.of("agent.yaml")).port(8080).build()) {
 *   server.start();
 *   System.out.println("Open " + server.browserUrl());
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Safe by default: it listens on 127.0.0.1, every API request and WebSocket handshake needs the
 * {@linkplain #token() bearer token}, browsers must come from the server's own origin, and request
 * bodies are limited. A session's runtime is closed (releasing the session's file lock) after it
 * has been idle for the {@linkplain Builder#idleTimeout idle timeout}, and opened again from disk
 * on its next use. See {@code docs/SERVER.md} for the API.
 */
public final class AgentServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(AgentServer.class.getName());
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

  private final Settings settings;
  private final String host;
  private final int requestedPort;
  private final String token;
  private final SessionRegistry sessions;
  private final AccessGuard guard;
  private final Object lifecycle = new Object();
  private Javalin app;
  private ScheduledExecutorService sweeper;
  private boolean started;
  private boolean closed;

  private AgentServer(Builder builder, Settings settings) {
    this.settings = settings;
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.token = builder.token != null ? builder.token : AccessGuard.newToken();
    Clock clock = Clock.systemUTC();
    this.sessions = new SessionRegistry(settings, clock);
    this.guard = new AccessGuard(token, isLoopback(host), clock);
  }

  /**
   * Starts building a server for the agent file, which is loaded (and its model checked) now, so
   * that a mistake in it shows before the server starts.
   *
   * @throws AgentFileException when the file is missing or invalid
   */
  public static Builder builder(Path agentFile) throws AgentFileException {
    return new Builder(AgentFile.load(Objects.requireNonNull(agentFile, "agentFile")));
  }

  /** Starts building a server for an agent configured in code. */
  public static Builder builder(AgentConfig agent) {
    return new Builder(Objects.requireNonNull(agent, "agent"));
  }

  /**
   * Binds the address and starts serving; returns once the server accepts connections.
   *
   * @throws ServerException when the address cannot be bound (for example the port is taken)
   * @throws IllegalStateException when started twice or after {@link #close}
   */
  public AgentServer start() {
    synchronized (lifecycle) {
      if (started || closed) {
        throw new IllegalStateException(closed ? "the server is closed" : "already started");
      }
      started = true;
      CodePilot.prewarm();
      HttpApi api = new HttpApi(settings, sessions, guard);
      EventSocket socket = new EventSocket(sessions, guard, api);
      StaticUi ui = new StaticUi();
      app =
          Javalin.create(
              config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.concurrency.useVirtualThreads = true;
                config.http.maxRequestSize = settings.maxBodyBytes();
                config.http.prefer405over404 = true;
                config.jetty.host = host;
                config.jetty.port = requestedPort;
                config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
                config.jetty.modifyWebSocketServletFactory(
                    factory -> {
                      factory.setMaxTextMessageSize(4096);
                      factory.setIdleTimeout(Duration.ofMinutes(2));
                    });
                config.routes.before(StaticUi::secureHeaders);
                ui.register(config.routes);
                api.register(config.routes);
                socket.register(config.routes);
              });
      try {
        app.start();
      } catch (RuntimeException e) {
        closed = true;
        throw new ServerException(
            "cannot listen on " + host + ":" + requestedPort + ": " + rootMessage(e), e);
      }
      sweeper =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("codepilot-session-sweeper").unstarted(r));
      long every = Math.max(50, Math.min(settings.idleTimeout().toMillis() / 4, 30_000));
      sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
      if (!isLoopback(host)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "listening on "
                + host
                + ", which is not a loopback"
                + " address: anyone who can reach it and has the token can run the agent");
      }
      return this;
    }
  }

  /** The port the server listens on (the one chosen by the system when built with port 0). */
  public int port() {
    synchronized (lifecycle) {
      if (app == null) {
        throw new IllegalStateException("the server has not started");
      }
      return app.port();
    }
  }

  /** The address the server listens on, as given to the builder. */
  public String host() {
    return host;
  }

  /** The bearer token every API request and WebSocket handshake must carry. */
  public String token() {
    return token;
  }

  /** The base URL, for example {@code http://127.0.0.1:8080/}. */
  public URI url() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    if (shown.equals("0.0.0.0") || shown.equals("[::]")) {
      shown = "127.0.0.1";
    }
    return URI.create("http://" + shown + ":" + port() + "/");
  }

  /** The UI's URL with the token, for the user to open once: {@code http://...:8080/?token=...}. */
  public URI browserUrl() {
    return URI.create(url() + "?token=" + token);
  }

  /** True when the server listens only on a loopback address. */
  public boolean isLoopbackOnly() {
    return isLoopback(host);
  }

  /** Blocks until {@link #close} is called from another thread. */
  public void awaitStop() throws InterruptedException {
    synchronized (lifecycle) {
      while (!closed) {
        lifecycle.wait();
      }
    }
  }

  /**
   * Aborts the runs in progress and waits for them to end (up to 15 seconds), closes every runtime
   * (so the session files are saved and unlocked) and stops listening. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed && app == null) {
        return;
      }
      closed = true;
      lifecycle.notifyAll();
    }
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    sessions.close(SHUTDOWN_GRACE);
    synchronized (lifecycle) {
      if (app != null) {
        app.stop();
        app = null;
      }
    }
    settings.store().ifPresent(SessionStore::close);
  }

  private void sweep() {
    try {
      sessions.sweep();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "closing idle sessions failed", e);
    }
  }

  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // Only literal addresses are accepted as loopback; names are never looked up here.
      return isLiteral(host) && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isLiteral(String host) {
    return host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }

  /**
   * Builds an {@link AgentServer}. Defaults: 127.0.0.1, port 8080, a generated token, sessions in
   * {@code ~/.codepilot/sessions}, runtimes closed after 15 idle minutes, questions and permission
   * requests answered "no" after 5 minutes without an answer, bodies up to 1 MiB.
   */
  public static final class Builder {

    private final AgentConfig agent;
    private String host = "127.0.0.1";
    private int port = 8080;
    private String token;
    private Path sessionDir;
    private Duration idleTimeout = Duration.ofMinutes(15);
    private Duration answerTimeout = Duration.ofMinutes(5);
    private long maxBodyBytes = 1024 * 1024;
    private int replayCapacity = 2000;
    private int clientQueueCapacity = 1000;
    private Function<String, ChatModel> models;
    private Consumer<AgentRuntime> customizer = runtime -> {};
    private String storeUrl;
    private BiFunction<Function<String, String>, Runnable, Runnable> runWrapper =
        (headers, run) -> run;

    private Builder(AgentConfig agent) {
      this.agent = agent;
    }

    /** The address to listen on; a non-loopback one exposes the agent to the network. */
    public Builder host(String address) {
      Objects.requireNonNull(address, "address");
      if (address.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = address.strip();
      return this;
    }

    /** The port; 0 lets the system choose a free one (see {@link AgentServer#port()}). */
    public Builder port(int number) {
      if (number < 0 || number > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, not " + number);
      }
      this.port = number;
      return this;
    }

    /** The bearer token clients must send; by default a random 256-bit one. */
    public Builder token(String bearerToken) {
      Objects.requireNonNull(bearerToken, "bearerToken");
      if (bearerToken.isBlank() || !bearerToken.equals(bearerToken.strip())) {
        throw new IllegalArgumentException(
            "the token must not be blank or start or end with" + " white space");
      }
      this.token = bearerToken;
      return this;
    }

    /** Where session files live instead of {@code ~/.codepilot/sessions}. */
    public Builder sessionDir(Path dir) {
      this.sessionDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * Keeps the sessions in the session store at {@code url} (e.g. {@code
     * jdbc:postgresql://db/codepilot?user=u&password=p}, with {@code codepilot-postgres} on the
     * class path) instead of the session directory, so that several servers on one database serve
     * the same sessions. The store is opened by {@link #build()} and closed with the server.
     */
    public Builder sessionStore(String url) {
      this.storeUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /** How long a session's runtime stays open with no run and no request. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    /**
     * How long a permission request or an {@code ask_user} question waits for the browser's answer;
     * then the request is denied, or the question answered with "".
     */
    public Builder answerTimeout(Duration timeout) {
      this.answerTimeout = positive(timeout, "answerTimeout");
      return this;
    }

    /** The largest request body accepted; larger ones get 413. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** How many messages of the run in progress are kept for clients that join late. */
    public Builder replayCapacity(int messages) {
      this.replayCapacity = atLeastOne(messages, "replayCapacity");
      return this;
    }

    /**
     * How many messages may wait for one WebSocket client; past that the client's messages are
     * dropped until it catches up, and it is told how many with an {@code events_dropped} message.
     */
    public Builder clientQueueCapacity(int messages) {
      this.clientQueueCapacity = atLeastOne(messages, "clientQueueCapacity");
      return this;
    }

    /**
     * Uses models made by {@code factory} (given the session id) instead of the agent file's. Each
     * runtime gets its own; it is closed with the runtime.
     */
    public Builder models(Function<String, ChatModel> factory) {
      this.models = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** Called with each runtime once it is built, for example to register tools. */
    public Builder configureRuntime(Consumer<AgentRuntime> configurer) {
      this.customizer = Objects.requireNonNull(configurer, "configurer");
      return this;
    }

    /**
     * Wraps each run that an HTTP request starts ({@code POST /api/sessions/{id}/runs}): called on
     * the request's thread with a lookup of its headers (by name, in any case; null when absent)
     * and the run, it returns what runs on the run's own thread instead. For example {@code
     * CodePilotTelemetry::withRequestContext} continues the caller's trace from its {@code
     * traceparent} header.
     */
    public Builder wrapRuns(BiFunction<Function<String, String>, Runnable, Runnable> wrapper) {
      this.runWrapper = Objects.requireNonNull(wrapper, "wrapper");
      return this;
    }

    /**
     * Builds the server (it starts with {@link AgentServer#start}). Without a model factory the
     * agent file's model is created once now, so that a missing API key or cassette shows at once.
     *
     * <p>Checks once that {@code run_command}'s commands can run as {@code runtime.shell.confine}
     * asks, so that a server that must confine them and cannot does not start.
     *
     * @throws ModelException when the agent's model cannot be created
     * @throws IllegalArgumentException when {@code runtime.shell.confine} is {@code always} and
     *     bubblewrap cannot confine commands here, or no session store accepts the store URL
     * @throws SessionException when the session store cannot be reached
     */
    public AgentServer build() throws ModelException {
      CommandJail.check(agent);
      if (models == null) {
        ChatModels.create(agent.model()).close();
      }
      Path dir =
          (sessionDir != null ? sessionDir : Sessions.defaultDirectory())
              .toAbsolutePath()
              .normalize();
      Optional<SessionStore> store =
          storeUrl == null
              ? Optional.empty()
              : Optional.of(SessionStores.open(storeUrl, null, null));
      Settings settings =
          new Settings(
              agent,
              dir,
              idleTimeout,
              answerTimeout,
              maxBodyBytes,
              replayCapacity,
              clientQueueCapacity,
              Optional.ofNullable(models),
              customizer,
              store,
              runWrapper);
      return new AgentServer(this, settings);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }

    private static int atLeastOne(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1");
      }
      return value;
    }
  }
}
