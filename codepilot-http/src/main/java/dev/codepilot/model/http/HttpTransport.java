package dev.codepilot.model.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codepilot.internal.Json;
import dev.codepilot.model.Cancellation;
import dev.codepilot.model.ModelException;
import dev.codepilot.model.StreamListener;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one model call over HTTP with the resilience every provider needs: retries with backoff on
 * connection errors, timeouts, 408, 429 and 5xx (honouring the server's retry headers); no retry on
 * other client errors, which are reported with their likely cause; a timeout on the response
 * headers and on every silence inside the body; and prompt cancellation, which aborts the
 * connection whether it is connecting, waiting, streaming or sleeping before a retry.
 *
 * <p>An attempt that has already passed reply text to the listener is never retried, so the pieces
 * the listener saw always add up to the reply. Thread-safe.
 *
 * <p>Transports share one {@link HttpClient} per connect timeout, so that a JVM running hundreds of
 * agents has one connection pool and one selector thread, not one of each per agent.
 */
public final class HttpTransport implements AutoCloseable {

  private static final String VERSION =
      Optional.ofNullable(HttpTransport.class.getPackage().getImplementationVersion())
          .orElse("dev");

  /** Reads a successful response body, passing reply text to the listener as it arrives. */
  @FunctionalInterface
  public interface BodyReader<T> {
    T read(InputStream body, HttpHeaders headers, StreamListener listener)
        throws IOException, ProviderFailure;
  }

  /**
   * What error messages name.
   *
   * @param provider the service, as a sentence names it ("OpenAI", "the server at ...")
   * @param uri the URL called
   * @param model the model asked for
   * @param apiKeyEnv the variable the API key came from; empty when no key was sent
   */
  public record Target(String provider, URI uri, String model, Optional<String> apiKeyEnv) {}

  /** Closes streams that have gone silent for longer than the timeout. */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("codepilot-http-watchdog").factory());

  private static final int MAX_ERROR_BODY = 16 * 1024;

  /** The shared clients, by connect timeout; never closed (their idle threads are daemons). */
  private static final ConcurrentMap<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

  private final HttpClient client;

  /** How to abort each attempt in progress, for {@link #close()}. */
  private final Set<Runnable> inFlight = ConcurrentHashMap.newKeySet();

  private volatile boolean closed;
  private final Duration timeout;
  private final int maxRetries;
  private final Backoff backoff;

  /**
   * A streaming JSON POST as the providers send it: the body (JSON in UTF-8, see {@link
   * RequestBodyWriter}), server-sent events out, a user agent naming codepilot and the provider,
   * and plain HTTP/1.1 for {@code http://} URLs (local servers should not be offered an h2c
   * upgrade).
   */
  public static HttpRequest.Builder streamingPost(URI uri, byte[] body, String provider) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .header(
                "User-Agent",
                "codepilot/"
                    + VERSION
                    + " ("
                    + provider
                    + "; Java "
                    + Runtime.version().feature()
                    + ")");
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      request.version(HttpClient.Version.HTTP_1_1);
    }
    return request;
  }

  public HttpTransport(Duration timeout, int maxRetries, Backoff backoff) {
    this.timeout = timeout;
    this.maxRetries = Math.max(0, maxRetries);
    this.backoff = backoff;
    this.client =
        CLIENTS.computeIfAbsent(
            timeout,
            connectTimeout ->
                HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    // A redirect would turn the POST into a GET; report it instead (see
                    // statusFailure).
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build());
  }

  /**
   * Sends {@code request} until it succeeds, fails for good, runs out of retries or is cancelled.
   *
   * @throws ModelException with the last failure's message; {@link ModelException#isCancelled()}
   *     when {@code cancellation} fired
   */
  public <T> T execute(
      HttpRequest request,
      Target target,
      StreamListener listener,
      Cancellation cancellation,
      BodyReader<T> reader)
      throws ModelException {
    for (int attempt = 0; ; attempt++) {
      if (cancellation.isCancelled()) {
        throw ModelException.cancelled();
      }
      DeliveryTracker tracked = new DeliveryTracker(listener);
      try {
        return attempt(request, target, tracked, cancellation, reader);
      } catch (ProviderFailure failure) {
        if (cancellation.isCancelled()) {
          throw ModelException.cancelled();
        }
        if (tracked.delivered() > 0) {
          throw new ModelException(
              failure.getMessage()
                  + " (the reply broke off after "
                  + tracked.delivered()
                  + " characters had streamed)",
              failure.getCause());
        }
        if (!failure.isRetryable()) {
          throw new ModelException(failure.getMessage(), failure.getCause());
        }
        if (attempt >= maxRetries) {
          String tries = attempt == 0 ? "" : " (gave up after " + (attempt + 1) + " attempts)";
          throw new ModelException(failure.getMessage() + tries, failure.getCause());
        }
        sleep(backoff.delay(attempt, failure.retryAfter()), cancellation);
      }
    }
  }

  private <T> T attempt(
      HttpRequest request,
      Target target,
      StreamListener listener,
      Cancellation cancellation,
      BodyReader<T> reader)
      throws ProviderFailure, ModelException {
    if (closed) {
      throw new ModelException(target.provider() + " cannot be called: the model is closed");
    }
    HttpRequest timed =
        HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
    CompletableFuture<HttpResponse<InputStream>> pending =
        client.sendAsync(timed, HttpResponse.BodyHandlers.ofInputStream());
    AtomicReference<InputStream> body = new AtomicReference<>();
    Runnable abort =
        () -> {
          pending.cancel(true);
          closeQuietly(body.get());
        };
    inFlight.add(abort);
    AutoCloseable registration = cancellation.onCancel(abort);
    try {
      HttpResponse<InputStream> response = await(pending, target, cancellation);
      WatchedStream in = new WatchedStream(response.body(), timeout);
      body.set(in);
      if (cancellation.isCancelled()) {
        // Cancelled between the headers arriving and the stream being registered.
        throw ModelException.cancelled();
      }
      long period = Math.clamp(timeout.toMillis() / 4, 10, 1000);
      ScheduledFuture<?> watch =
          WATCHDOG.scheduleAtFixedRate(in::closeIfIdle, period, period, TimeUnit.MILLISECONDS);
      try {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return reader.read(in, response.headers(), listener);
        }
        byte[] error = in.readNBytes(MAX_ERROR_BODY);
        throw statusFailure(
            status, response.headers(), new String(error, StandardCharsets.UTF_8), target);
      } catch (IOException e) {
        if (cancellation.isCancelled()) {
          throw ModelException.cancelled();
        }
        if (in.idle()) {
          throw ProviderFailure.retryable(
              target.provider()
                  + " sent nothing for "
                  + seconds(timeout)
                  + " (model.request_timeout)",
              e);
        }
        throw ProviderFailure.retryable(
            "the connection to " + target.provider() + " broke: " + describe(e), e);
      } finally {
        watch.cancel(false);
        closeQuietly(in);
      }
    } finally {
      inFlight.remove(abort);
      unregister(registration);
    }
  }

  private HttpResponse<InputStream> await(
      CompletableFuture<HttpResponse<InputStream>> pending,
      Target target,
      Cancellation cancellation)
      throws ProviderFailure, ModelException {
    try {
      return pending.get();
    } catch (CancellationException e) {
      throw ModelException.cancelled();
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new ModelException("interrupted while waiting for " + target.provider(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      // The client reports an aborted exchange as a failure wrapping a CancellationException.
      if (cancellation.isCancelled() || cause instanceof CancellationException) {
        throw ModelException.cancelled();
      }
      if (cause instanceof HttpTimeoutException) {
        throw ProviderFailure.retryable(
            "no response from "
                + target.provider()
                + " at "
                + target.uri()
                + " within "
                + seconds(timeout)
                + " (model.request_timeout)",
            cause);
      }
      if (cause instanceof ConnectException) {
        throw ProviderFailure.retryable(
            "could not connect to "
                + target.provider()
                + " at "
                + target.uri()
                + ": "
                + describe(cause),
            cause);
      }
      if (cause instanceof IOException) {
        throw ProviderFailure.retryable(
            "the connection to "
                + target.provider()
                + " at "
                + target.uri()
                + " failed: "
                + describe(cause),
            cause);
      }
      throw new ModelException(
          "calling " + target.provider() + " failed: " + describe(cause), cause);
    }
  }

  /** Turns a non-2xx status into a failure whose message says what to do. */
  static ProviderFailure statusFailure(
      int status, HttpHeaders headers, String body, Target target) {
    String detail = errorMessage(body);
    String said = detail.isEmpty() ? "" : ": " + detail;
    String provider = target.provider();
    if (status == 408 || status == 429 || status >= 500) {
      return ProviderFailure.retryable(
          provider + " answered HTTP " + status + said, Backoff.retryAfter(headers, Instant.now()));
    }
    if (status >= 300 && status < 400) {
      return ProviderFailure.fatal(
          provider
              + " redirected the request (HTTP "
              + status
              + ")"
              + headers.firstValue("location").map(to -> " to " + to).orElse("")
              + "; set model.base_url to the address the API really lives at");
    }
    return ProviderFailure.fatal(
        switch (status) {
          case 401 ->
              target
                  .apiKeyEnv()
                  .map(
                      env ->
                          provider
                              + " rejected the API key (HTTP 401"
                              + said
                              + "); check that the"
                              + " environment variable "
                              + env
                              + " holds a valid key, or name another variable"
                              + " with model.api_key_env")
                  .orElse(
                      provider
                          + " wants an API key (HTTP 401"
                          + said
                          + "); put the key in an"
                          + " environment variable and name it with model.api_key_env");
          case 403 ->
              provider
                  + " refused access (HTTP 403"
                  + said
                  + "); check that the API key"
                  + target.apiKeyEnv().map(env -> " in " + env).orElse("")
                  + " is valid and may use model '"
                  + target.model()
                  + "'";
          case 404 ->
              provider
                  + " found no model '"
                  + target.model()
                  + "' at "
                  + target.uri()
                  + " (HTTP 404"
                  + said
                  + "); check model.name, and model.base_url if you set one";
          default ->
              provider
                  + " rejected the request (HTTP "
                  + status
                  + ")"
                  + (detail.isEmpty() ? "" : ": " + detail);
        });
  }

  /**
   * The provider's own words from an error body: {@code error.message} (OpenAI, Anthropic), a
   * string {@code error} (Ollama), {@code message} or {@code detail} (vLLM and other servers), else
   * the start of the body itself.
   */
  static String errorMessage(String body) {
    String text = body.strip();
    if (text.isEmpty()) {
      return "";
    }
    try {
      JsonNode root = Json.mapper().readTree(text);
      for (JsonNode candidate :
          new JsonNode[] {
            root.path("error").path("message"),
            root.path("error"),
            root.path("message"),
            root.path("detail")
          }) {
        if (candidate.isTextual() && !candidate.asText().isBlank()) {
          return candidate.asText().strip();
        }
      }
    } catch (IOException notJson) {
      // Proxies answer with HTML or plain text; show its beginning.
    }
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  private static void sleep(Duration delay, Cancellation cancellation) throws ModelException {
    CountDownLatch woken = new CountDownLatch(1);
    AutoCloseable registration = cancellation.onCancel(woken::countDown);
    try {
      woken.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException("interrupted while waiting to retry", e);
    } finally {
      unregister(registration);
    }
    if (cancellation.isCancelled()) {
      throw ModelException.cancelled();
    }
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static void unregister(AutoCloseable registration) {
    try {
      registration.close();
    } catch (Exception ignored) {
      // Cancellation's handles do not throw.
    }
  }

  private static void closeQuietly(InputStream in) {
    if (in == null) {
      return;
    }
    try {
      in.close();
    } catch (IOException ignored) {
      // Closing only aborts the exchange; nothing to report.
    }
  }

  /** Aborts in-flight requests; later calls fail. The shared connection pool stays. */
  @Override
  public void close() {
    closed = true;
    inFlight.forEach(Runnable::run);
  }

  /** A response body that notes when data last arrived, so a silent stream can be closed. */
  private static final class WatchedStream extends FilterInputStream {
    private final long idleLimitNanos;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean idle;

    WatchedStream(InputStream in, Duration idleLimit) {
      super(in);
      this.idleLimitNanos = idleLimit.toNanos();
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      lastActivity = System.nanoTime();
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      lastActivity = System.nanoTime();
      return n;
    }

    void closeIfIdle() {
      if (!idle && System.nanoTime() - lastActivity > idleLimitNanos) {
        idle = true;
        closeQuietly(this);
      }
    }

    boolean idle() {
      return idle;
    }
  }

  /** Passes non-empty text on and counts it, so a failed attempt knows whether text streamed. */
  private static final class DeliveryTracker implements StreamListener {
    private final StreamListener listener;
    private long delivered;

    DeliveryTracker(StreamListener listener) {
      this.listener = listener;
    }

    @Override
    public void onText(String text) {
      if (text != null && !text.isEmpty()) {
        delivered += text.length();
        listener.onText(text);
      }
    }

    long delivered() {
      return delivered;
    }
  }
}
