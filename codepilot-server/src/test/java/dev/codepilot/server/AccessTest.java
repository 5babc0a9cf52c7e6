package dev.codepilot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who gets in, and what is refused: tokens, origins, hosts, tickets, body sizes, ids. */
class AccessTest {

  @TempDir static Path root;

  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(root, b -> b.token("test-token-0123456789"));
    assertThat(server.post("/api/sessions", Map.of("id", "mine")).status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void apiRequestsWithoutTheTokenAreRefusedWith401() throws Exception {
    var response = server.send(requestWithoutToken("/api/sessions"));

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body().path("error").asText()).contains("Authorization");
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
  }

  @Test
  void apiRequestsWithAWrongTokenAreRefusedWith401() throws Exception {
    for (String header :
        new String[] {
          "Bearer test-token-012345678",
          "Bearer wrong",
          "Basic dGVzdA==",
          "test-token-0123456789",
          "Bearer test-token-0123456789x"
        }) {
      var response =
          server.send(
              HttpRequest.newBuilder(server.uri("/api/sessions")).header("Authorization", header));
      assertThat(response.status()).as(header).isEqualTo(401);
      assertThat(response.body().path("error").asText()).isEqualTo("invalid token");
    }
  }

  @Test
  void unknownApiPathsAreHiddenBehindTheToken() throws Exception {
    assertThat(server.send(requestWithoutToken("/api/nothing-here")).status()).isEqualTo(401);
    assertThat(server.send(requestWithoutToken("/api")).status()).isEqualTo(401);
    assertThat(server.send(requestWithoutToken("/api/sessions/x/y/z")).status()).isEqualTo(401);
    var known = server.get("/api/nothing-here");
    assertThat(known.status()).isEqualTo(404);
    assertThat(known.body().path("error").asText()).contains("not found");
    var wrongMethod =
        server.send(server.request("/api/sessions").PUT(HttpRequest.BodyPublishers.noBody()));
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.body().path("error").asText()).isNotBlank();
  }

  @Test
  void theRightTokenIsAccepted() throws Exception {
    var response = server.get("/api/sessions");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @Test
  void apiRequestsFromAnotherOriginAreRefusedWith403() throws Exception {
    var foreign =
        server.send(server.request("/api/sessions").header("Origin", "http://evil.example"));
    var otherPort =
        server.send(server.request("/api/sessions").header("Origin", "http://127.0.0.1:1"));
    var same =
        server.send(
            server
                .request("/api/sessions")
                .header("Origin", "http://127.0.0.1:" + server.server.port()));

    assertThat(foreign.status()).isEqualTo(403);
    assertThat(otherPort.status()).isEqualTo(403);
    assertThat(same.status()).isEqualTo(200);
  }

  @Test
  void requestsNamingAnotherHostAreRefusedOnLoopback() throws Exception {
    String rebound =
        rawRequest(
            "GET /api/sessions HTTP/1.1\r\nHost: evil.example:"
                + server.server.port()
                + "\r\nAuthorization: Bearer "
                + server.server.token()
                + "\r\nConnection: close\r\n\r\n");
    String local =
        rawRequest(
            "GET /api/sessions HTTP/1.1\r\nHost: localhost:"
                + server.server.port()
                + "\r\nAuthorization: Bearer "
                + server.server.token()
                + "\r\nConnection: close\r\n\r\n");

    assertThat(rebound).startsWith("HTTP/1.1 403");
    assertThat(local).startsWith("HTTP/1.1 200");
  }

  @Test
  void theWebSocketHandshakeNeedsTheTokenOrATicket() throws Exception {
    assertThat(handshakeStatus(server.http.newWebSocketBuilder(), "mine", "")).isEqualTo(401);
    assertThat(
            handshakeStatus(
                server.http.newWebSocketBuilder().header("Authorization", "Bearer nope"),
                "mine",
                ""))
        .isEqualTo(401);
    assertThat(handshakeStatus(server.http.newWebSocketBuilder(), "mine", "?ticket=made-up"))
        .isEqualTo(401);
    try (EventClient client = server.connect("mine")) {
      assertThat(client.poll(100)).isNull();
    }
  }

  @Test
  void aWebSocketFromAnotherOriginIsRefusedWith403EvenWithTheToken() throws Exception {
    int status =
        handshakeStatus(
            server
                .http
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + server.server.token())
                .header("Origin", "http://evil.example"),
            "mine",
            "");

    assertThat(status).isEqualTo(403);
  }

  @Test
  void aTicketOpensOneWebSocketOnItsOwnSessionOnce() throws Exception {
    String ticket = ticket("mine");
    String other = ticket("mine");

    assertThat(handshakeStatus(server.http.newWebSocketBuilder(), "theirs", "?ticket=" + other))
        .isEqualTo(401);
    EventClient client = new EventClient();
    WebSocket socket =
        server
            .http
            .newWebSocketBuilder()
            .header("Origin", "http://127.0.0.1:" + server.server.port())
            .buildAsync(server.wsUri("/api/sessions/mine/events?ticket=" + ticket), client)
            .get(10, TimeUnit.SECONDS);
    client.bind(socket);
    client.close();
    assertThat(handshakeStatus(server.http.newWebSocketBuilder(), "mine", "?ticket=" + ticket))
        .isEqualTo(401);
  }

  @Test
  void anOversizedBodyIsRefusedWith413() throws Exception {
    String big = "x".repeat(1024 * 1024 + 10);
    var declared = server.post("/api/sessions/mine/runs", Map.of("task", big));
    var streamed =
        server.send(
            server
                .request("/api/sessions/mine/runs")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () ->
                            new java.io.ByteArrayInputStream(
                                ("{\"task\":\"" + big + "\"}").getBytes(StandardCharsets.UTF_8)))));

    assertThat(declared.status()).isEqualTo(413);
    assertThat(streamed.status()).isEqualTo(413);
    assertThat(server.get("/api/sessions/mine").body().path("running").asBoolean()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        ".hidden",
        "a%2Fb",
        "a%5Cb",
        "con",
        "a%20b",
        "%C3%A9t%C3%A9",
        "trailing.",
        "tab%09"
      })
  void anInvalidSessionIdIsRefusedWith400(String id) throws Exception {
    var status = server.get("/api/sessions/" + id);
    var run = server.post("/api/sessions/" + id + "/runs", Map.of("task", "t"));

    assertThat(status.status()).isEqualTo(400);
    assertThat(status.body().path("error").asText()).isNotBlank();
    assertThat(run.status()).isEqualTo(400);
  }

  @Test
  void anInvalidSessionIdIsRefusedWhenCreating() throws Exception {
    var created = server.post("/api/sessions", Map.of("id", "../../etc/passwd"));

    assertThat(created.status()).isEqualTo(400);
    assertThat(created.body().path("error").asText()).contains("invalid session id");
  }

  @Test
  void malformedBodiesAreRefusedWith400() throws Exception {
    var notJson =
        server.send(
            server
                .request("/api/sessions/mine/runs")
                .POST(HttpRequest.BodyPublishers.ofString("{task:")));
    var noTask = server.post("/api/sessions/mine/runs", Map.of("job", "x"));
    var notAnObject =
        server.send(
            server
                .request("/api/sessions/mine/runs")
                .POST(HttpRequest.BodyPublishers.ofString("[1]")));

    assertThat(notJson.status()).isEqualTo(400);
    assertThat(noTask.status()).isEqualTo(400);
    assertThat(noTask.body().path("error").asText()).contains("task");
    assertThat(notAnObject.status()).isEqualTo(400);
  }

  @Test
  void theUiIsServedWithoutTheTokenAndWithStrictHeaders() throws Exception {
    var page =
        server.http.send(
            HttpRequest.newBuilder(server.uri("/")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    var script =
        server.http.send(
            HttpRequest.newBuilder(server.uri("/app.js")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'none'")
        .contains("frame-ancestors 'none'");
    assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(page.body()).doesNotContain(server.server.token());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).doesNotContain(server.server.token());
  }

  private String ticket(String sessionId) throws Exception {
    JsonNode body = server.post("/api/sessions/" + sessionId + "/tickets").body();
    assertThat(body.path("expires_in_seconds").asInt()).isEqualTo(30);
    return body.path("ticket").asText();
  }

  private int handshakeStatus(WebSocket.Builder builder, String sessionId, String query)
      throws Exception {
    try {
      WebSocket socket =
          builder
              .buildAsync(
                  server.wsUri("/api/sessions/" + sessionId + "/events" + query), new EventClient())
              .get(10, TimeUnit.SECONDS);
      socket.abort();
      return 101;
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }

  private static HttpRequest.Builder requestWithoutToken(String path) {
    return HttpRequest.newBuilder(server.uri(path));
  }

  private String rawRequest(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theServerRefusesToBuildWithABlankToken() {
    assertThatThrownBy(() -> AgentServer.builder(TestServer.agent(root)).token(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
