package dev.codepilot.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.internal.Json;
import dev.codepilot.session.FileSession;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The HTTP API under {@code /api}: JSON in, JSON out, errors as {@code {"error": "..."}} with a
 * fitting status. Every request passes the {@link AccessGuard} first.
 */
final class HttpApi {

  private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Settings settings;
  private final SessionRegistry sessions;
  private final AccessGuard guard;

  HttpApi(Settings settings, SessionRegistry sessions, AccessGuard guard) {
    this.settings = settings;
    this.sessions = sessions;
    this.guard = guard;
  }

  void register(RoutesConfig routes) {
    routes.before("/api", this::authorize);
    routes.before("/api/*", this::authorize);

    routes.get(
        "/api/agent",
        ctx -> {
          ObjectNode agent = Json.mapper().createObjectNode();
          agent.put("name", settings.agent().name());
          agent.put("role", settings.agent().role());
          respond(ctx, 200, agent);
        });

    routes.get(
        "/api/sessions",
        ctx -> {
          ObjectNode body = Json.mapper().createObjectNode();
          body.set("sessions", sessions.list());
          respond(ctx, 200, body);
        });
    routes.post(
        "/api/sessions",
        ctx -> {
          JsonNode body = body(ctx);
          String id = body.hasNonNull("id") ? validId(text(body, "id")) : newSessionId();
          ObjectNode status =
              sessions.withHost(
                  id,
                  host -> {
                    host.create();
                    return host.status();
                  });
          ctx.header("Location", "/api/sessions/" + id);
          respond(ctx, 201, status);
        });
    routes.get(
        "/api/sessions/{id}",
        ctx -> respond(ctx, 200, sessions.withHost(id(ctx), SessionHost::status)));
    routes.delete(
        "/api/sessions/{id}",
        ctx -> {
          sessions.onHost(id(ctx), SessionHost::delete);
          ctx.status(204);
        });

    routes.post(
        "/api/sessions/{id}/runs",
        ctx -> {
          String id = id(ctx);
          String task = requiredText(body(ctx), "task");
          // Headers are read now, on the request's thread; the run starts on its own.
          java.util.Map<String, String> headers =
              new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          headers.putAll(ctx.headerMap());
          sessions.onHost(id, host -> host.startRun(task, headers::get));
          respond(ctx, 202, status("started"));
        });
    routes.get(
        "/api/sessions/{id}/messages",
        ctx -> {
          ObjectNode body = Json.mapper().createObjectNode();
          body.set(
              "messages",
              Json.mapper().valueToTree(sessions.withHost(id(ctx), SessionHost::messages)));
          respond(ctx, 200, body);
        });
    routes.post(
        "/api/sessions/{id}/messages",
        ctx -> {
          String id = id(ctx);
          String message = requiredText(body(ctx), "message");
          sessions.onHost(id, host -> host.inject(message));
          respond(ctx, 202, status("queued"));
        });
    routes.post(
        "/api/sessions/{id}/answer",
        ctx -> {
          String id = id(ctx);
          JsonNode body = body(ctx);
          String answer = text(body, "answer");
          if (answer == null) {
            throw ApiException.badRequest("the body needs \"answer\": a string (it may be empty)");
          }
          Optional<Long> requestId = requestId(body);
          sessions.onHost(id, host -> host.answer(requestId, answer));
          respond(ctx, 200, status("answered"));
        });
    routes.post(
        "/api/sessions/{id}/permission",
        ctx -> {
          String id = id(ctx);
          JsonNode body = body(ctx);
          JsonNode approve = body.get("approve");
          if (approve == null || !approve.isBoolean()) {
            throw ApiException.badRequest("the body needs \"approve\": true or false");
          }
          Optional<Long> requestId = requestId(body);
          sessions.onHost(id, host -> host.decide(requestId, approve.booleanValue()));
          respond(ctx, 200, status(approve.booleanValue() ? "approved" : "denied"));
        });
    routes.post(
        "/api/sessions/{id}/abort",
        ctx -> {
          sessions.onHost(id(ctx), SessionHost::abort);
          respond(ctx, 202, status("aborting"));
        });
    routes.post(
        "/api/sessions/{id}/reset",
        ctx -> {
          sessions.onHost(id(ctx), SessionHost::reset);
          respond(ctx, 200, status("reset"));
        });
    routes.post(
        "/api/sessions/{id}/tickets",
        ctx -> {
          String id = id(ctx);
          ObjectNode body = Json.mapper().createObjectNode();
          body.put("ticket", guard.issueTicket(id));
          body.put("expires_in_seconds", AccessGuard.TICKET_LIFETIME.toSeconds());
          respond(ctx, 201, body);
        });

    routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    routes.exception(
        HttpResponseException.class,
        (e, ctx) ->
            error(
                ctx,
                e.getStatus(),
                e.getStatus() == 404
                    ? "not found: " + ctx.method() + " " + ctx.path()
                    : e.getMessage()));
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.log(
              System.Logger.Level.ERROR,
              "request " + ctx.method() + " " + ctx.path() + " failed",
              e);
          error(ctx, 500, "internal error: " + e);
        });
  }

  /** Host, Origin, token, then body size: the order that reveals least to a stranger. */
  private void authorize(Context ctx) {
    guard.checkHost(ctx.header("Host"));
    guard.checkOrigin(ctx.header("Origin"), ctx.header("Host"));
    guard.checkBearer(ctx.header("Authorization"));
    long length = ctx.req().getContentLengthLong();
    if (length > settings.maxBodyBytes()) {
      throw tooLarge(ctx, length);
    }
  }

  /** Validates a session id by the rule file sessions use; anything else is a 400. */
  String validId(String id) {
    try {
      new FileSession(id, "", settings.sessionDir()).close();
      return id;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private String id(Context ctx) {
    return validId(ctx.pathParam("id"));
  }

  private JsonNode body(Context ctx) {
    byte[] bytes = readLimited(ctx);
    if (bytes.length == 0) {
      return Json.mapper().createObjectNode();
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw ApiException.badRequest(
          "the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("the body must be a JSON object");
    }
    return node;
  }

  private byte[] readLimited(Context ctx) {
    long max = settings.maxBodyBytes();
    try (InputStream in = ctx.bodyInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      int read;
      while ((read = in.read(chunk)) != -1) {
        if (out.size() + (long) read > max) {
          throw tooLarge(ctx, -1);
        }
        out.write(chunk, 0, read);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
    }
  }

  /**
   * The 413 for a body over the limit. A client that sends its whole body before reading the answer
   * (one not using {@code Expect: 100-continue}) would see its connection reset, not the 413, if
   * the server closed with the body unread; so a body of up to four times the limit is read and
   * thrown away first. Anything larger is cut off, and the connection closed.
   */
  private ApiException tooLarge(Context ctx, long declaredLength) {
    long budget = 4 * settings.maxBodyBytes();
    ctx.header("Connection", "close");
    if (declaredLength <= budget) {
      try {
        InputStream in = ctx.bodyInputStream();
        byte[] chunk = new byte[8192];
        long discarded = 0;
        int read;
        while (discarded < budget && (read = in.read(chunk)) != -1) {
          discarded += read;
        }
      } catch (IOException e) {
        // The client went away; there is nobody left to answer.
      }
    }
    return ApiException.tooLarge(
        "the request body is larger than " + settings.maxBodyBytes() + " bytes");
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiException.badRequest("\"" + field + "\" must be a string");
    }
    return value.textValue();
  }

  private static String requiredText(JsonNode body, String field) {
    String value = text(body, field);
    if (value == null || value.isBlank()) {
      throw ApiException.badRequest("the body needs \"" + field + "\": a non-empty string");
    }
    return value;
  }

  private static Optional<Long> requestId(JsonNode body) {
    JsonNode value = body.get("id");
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber()) {
      throw ApiException.badRequest("\"id\" must be the pending request's number");
    }
    return Optional.of(value.longValue());
  }

  private static String newSessionId() {
    byte[] bytes = new byte[5];
    RANDOM.nextBytes(bytes);
    return "session-" + HexFormat.of().formatHex(bytes);
  }

  private static ObjectNode status(String status) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("status", status);
    return node;
  }

  static void respond(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType("application/json");
    try {
      ctx.result(Json.mapper().writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  static void error(Context ctx, int status, String message) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("error", message);
    if (status == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(node.toString().getBytes(StandardCharsets.UTF_8));
  }
}
