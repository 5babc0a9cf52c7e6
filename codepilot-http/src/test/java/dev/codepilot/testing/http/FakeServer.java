package dev.codepilot.testing.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.codepilot.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A real HTTP server on loopback that answers each request with the next scripted reply and records
 * what it was sent.
 */
public final class FakeServer implements AutoCloseable {

  /** One scripted answer. */
  @FunctionalInterface
  public interface Reply {
    void send(HttpExchange exchange) throws Exception;
  }

  /** A request as the server saw it. */
  public record Received(String method, String path, Headers headers, String body, long nanoTime) {
    public JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String header(String name) {
      return headers.getFirst(name);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<java.util.Map.Entry<Integer, java.util.concurrent.CountDownLatch>>
      answerWaiters = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger answered =
      new java.util.concurrent.atomic.AtomicInteger();

  public FakeServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The server's address with the given path, such as {@code /v1}. */
  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  public FakeServer then(Reply reply) {
    replies.add(reply);
    return this;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** A latch released once the server has finished answering {@code count} requests. */
  public java.util.concurrent.CountDownLatch answered(int count) {
    java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
    answerWaiters.add(java.util.Map.entry(count, latch));
    if (answered.get() >= count) {
      latch.countDown();
    }
    return latch;
  }

  public Received request(int index) {
    return received.get(index);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(
          new Received(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders(),
              body,
              System.nanoTime()));
      Reply reply = replies.poll();
      if (reply == null) {
        json(500, "{\"error\":{\"message\":\"no scripted reply left\"}}").send(exchange);
      } else {
        reply.send(exchange);
      }
      exchange.getResponseBody().flush();
      int done = answered.incrementAndGet();
      answerWaiters.stream().filter(w -> w.getKey() <= done).forEach(w -> w.getValue().countDown());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception clientWentAway) {
      // The client aborted; nothing to answer.
    }
  }

  /** A complete JSON answer with the given status and header name/value pairs. */
  public static Reply json(int status, String body, String... headers) {
    return exchange -> {
      for (int i = 0; i + 1 < headers.length; i += 2) {
        exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    };
  }

  /** A 200 event stream made of the given raw SSE text chunks, each flushed on its own. */
  public static Reply sse(String... chunks) {
    return sseThenStall(Duration.ZERO, chunks);
  }

  /** Like {@link #sse}, then keeps the connection open and silent for {@code stall}. */
  public static Reply sseThenStall(Duration stall, String... chunks) {
    return exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (String chunk : chunks) {
        out.write(chunk.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      Thread.sleep(stall.toMillis());
    };
  }

  /** Waits before answering at all, as a server that is slow to respond. */
  public static Reply after(Duration delay, Reply reply) {
    return exchange -> {
      Thread.sleep(delay.toMillis());
      reply.send(exchange);
    };
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
