package dev.codepilot.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * {@code /api/sessions/{id}/events}: one session's events over a WebSocket. The handshake is
 * checked like any API request (Host, Origin), and must carry either the bearer token or a ticket
 * issued for this session; then the client gets the run in progress so far and everything after,
 * through its own bounded {@link ClientChannel}. Messages the client sends are ignored: the session
 * is driven over HTTP.
 */
final class EventSocket {

  static final String PATH = "/api/sessions/{id}/events";

  /** How long one message may take to reach a client before the connection is given up. */
  private static final long SEND_TIMEOUT_SECONDS = 60;

  private record Attachment(EventHub hub, ClientChannel channel) {}

  private final SessionRegistry sessions;
  private final AccessGuard guard;
  private final HttpApi api;
  private final Map<Session, Attachment> attachments = new ConcurrentHashMap<>();

  EventSocket(SessionRegistry sessions, AccessGuard guard, HttpApi api) {
    this.sessions = sessions;
    this.guard = guard;
    this.api = api;
  }

  void register(RoutesConfig routes) {
    routes.wsBeforeUpgrade(PATH, this::authorize);
    routes.ws(
        PATH,
        ws -> {
          ws.onConnect(
              ctx -> {
                ctx.enableAutomaticPings();
                attach(ctx);
              });
          ws.onClose(this::detach);
          ws.onError(this::detach);
          ws.onMessage(ctx -> {});
        });
  }

  private void authorize(Context ctx) {
    guard.checkHost(ctx.header("Host"));
    guard.checkOrigin(ctx.header("Origin"), ctx.header("Host"));
    String id = api.validId(ctx.pathParam("id"));
    if (!guard.hasValidBearer(ctx.header("Authorization"))
        && !guard.redeemTicket(ctx.queryParam("ticket"), id)) {
      throw ApiException.unauthorized(
          ctx.header("Authorization") == null && ctx.queryParam("ticket") == null
              ? "missing credentials: send 'Authorization: Bearer <token>', or a ticket from"
                  + " POST /api/sessions/"
                  + id
                  + "/tickets as ?ticket="
              : "invalid token or ticket");
    }
  }

  private void attach(WsContext ctx) {
    Session session = ctx.session;
    String id = ctx.pathParam("id");
    ClientChannel.Sink sink =
        new ClientChannel.Sink() {
          @Override
          public void send(String text) throws Exception {
            Callback.Completable sent = new Callback.Completable();
            session.sendText(text, sent);
            sent.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          }

          @Override
          public void close(int code, String reason) {
            session.close(code, reason, Callback.NOOP);
          }
        };
    Attachment attachment =
        sessions.withHost(
            id,
            host -> {
              EventHub hub = host.hub();
              return new Attachment(
                  hub, hub.attach(sink, Messages.connected(id, host.isRunning())));
            });
    attachments.put(session, attachment);
  }

  private void detach(WsContext ctx) {
    Attachment attachment = attachments.remove(ctx.session);
    if (attachment != null) {
      attachment.hub().detach(attachment.channel());
    }
  }
}
