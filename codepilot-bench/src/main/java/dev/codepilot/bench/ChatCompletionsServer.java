package dev.codepilot.bench;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A real HTTP server on loopback that answers {@code POST /v1/chat/completions} like the OpenAI
 * Chat Completions API, streamed: after a fixed delay (the model "thinking") it sends the reply as
 * server-sent events in a few chunks, then the usage and {@code [DONE]}. Each request is recorded
 * with its arrival time and body size.
 */
public final class ChatCompletionsServer implements AutoCloseable {

  /** One request as the server saw it. */
  public record Received(long arrivalNanos, int bodyBytes) {}

  private static final int CHUNKS = 4;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Duration delay;
  private final IntFunction<String> replies;
  private final AtomicInteger served = new AtomicInteger();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Path bodies;

  /**
   * @param delay how long the "model" thinks before the first byte of the reply
   * @param replies the reply to the n-th request (counting from 0, over all clients)
   */
  public ChatCompletionsServer(Duration delay, IntFunction<String> replies) throws IOException {
    this.delay = delay;
    this.replies = replies;
    // Without TCP_NODELAY the small SSE writes wait for delayed ACKs (40 ms each on Linux),
    // which real streaming servers avoid; and the JDK's server closes kept-alive connections
    // beyond 200, which hundreds of clients then find closed. It reads both once, at first use.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.setExecutor(executor);
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  /** The base URL to configure as {@code model.base_url}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  /** Keeps every request body from now on, as {@code request-N.json} in {@code dir}. */
  public ChatCompletionsServer keepBodiesIn(Path dir) throws IOException {
    Files.createDirectories(dir);
    bodies = dir;
    return this;
  }

  /** Every request so far, in arrival order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    long arrival = System.nanoTime();
    try (exchange) {
      Path keep = bodies;
      int bytes;
      if (keep == null) {
        bytes = drain(exchange.getRequestBody());
      } else {
        byte[] body = exchange.getRequestBody().readAllBytes();
        bytes = body.length;
        Files.write(keep.resolve("request-" + (received.size() + 1) + ".json"), body);
      }
      received.add(new Received(arrival, bytes));
      String reply = replies.apply(served.getAndIncrement());
      Thread.sleep(delay.toMillis());
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      int step = Math.max(1, (reply.length() + CHUNKS - 1) / CHUNKS);
      for (int start = 0; start < reply.length(); start += step) {
        String piece = reply.substring(start, Math.min(reply.length(), start + step));
        event(
            out,
            "{\"id\":\"bench\",\"object\":\"chat.completion.chunk\",\"model\":\"bench\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                + escape(piece)
                + "\"},\"finish_reason\":null}]}");
      }
      event(
          out,
          "{\"id\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{},"
              + "\"finish_reason\":\"stop\"}]}");
      event(
          out,
          "{\"id\":\"bench\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
              + bytes / 4
              + ",\"completion_tokens\":"
              + reply.length() / 4
              + ",\"total_tokens\":"
              + (bytes + reply.length()) / 4
              + "}}");
      event(out, "[DONE]");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String escape(String text) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(text));
  }

  private static int drain(InputStream in) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    int total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
    }
    return total;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
