package dev.codepilot.examples;

import dev.codepilot.AgentRuntime;
import dev.codepilot.hooks.Event;
import dev.codepilot.hooks.EventJson;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Reference section 13, a web server integration: the runtime embedded in a Javalin application.
 * {@code POST /run} starts a task on a background thread, {@code POST /message} injects a message
 * into it, {@code POST /reset} wipes the history, and the WebSocket {@code /events} streams every
 * event as the same JSON the command line's {@code --json} prints ({@link EventJson}).
 *
 * <p>This shows how to embed the library in your own server. CodePilot's own server ({@code
 * codepilot serve}, see docs/SERVER.md) adds authentication, several sessions and a browser UI;
 * this example has none of that and listens on loopback only.
 *
 * <pre>
 * ./codepilot-examples/run.sh WebServer 8080
 * websocat ws://127.0.0.1:8080/events                                   # in one terminal
 * curl -d 'Create a FastAPI hello-world server in main.py' 127.0.0.1:8080/run   # in another
 * </pre>
 */
public final class WebServer implements AutoCloseable {

  private final AgentRuntime runtime;
  private final Javalin app;
  private final Set<WsContext> clients = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final Thread sender;

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    AgentRuntime runtime =
        AgentRuntime.builder(Examples.agentFile(new String[0], "web"))
            .session("file")
            .sessionId("web-session")
            .sessionDir(Examples.sessionDir())
            .consoleOutput(false)
            .build();
    WebServer server = new WebServer(runtime, port);
    System.out.println(
        "Listening on http://127.0.0.1:"
            + server.port()
            + "  (POST /run, /message, /reset; WebSocket /events). Ctrl-C stops it.");
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
  }

  // tag::server[]
  WebServer(AgentRuntime runtime, int port) {
    this.runtime = runtime;
    // Hooks run on the agent's thread: queue each event as JSON and send from one thread,
    // so that a slow client never holds up the agent and messages keep their order.
    runtime.hooks().on(Event.class, event -> events.add(EventJson.toLine(event)));
    sender = Thread.ofVirtual().name("event-sender").start(this::sendEvents);

    app =
        Javalin.create(
                config -> {
                  config.routes.post(
                      "/run",
                      ctx -> {
                        if (runtime.isRunning()) {
                          ctx.status(409).json(Map.of("error", "a task is already running"));
                          return;
                        }
                        String task = ctx.body();
                        Thread.ofVirtual()
                            .name("agent")
                            .start(() -> runtime.run(task)); // non-blocking
                        ctx.json(Map.of("status", "started"));
                      });
                  config.routes.post(
                      "/message",
                      ctx -> {
                        runtime.sendMessage(ctx.body()); // returns at once
                        ctx.json(Map.of("status", "queued"));
                      });
                  config.routes.post(
                      "/reset",
                      ctx -> {
                        if (runtime.isRunning()) {
                          ctx.status(409).json(Map.of("error", "abort the running task first"));
                          return;
                        }
                        runtime.reset();
                        ctx.json(Map.of("status", "reset"));
                      });
                  config.routes.post(
                      "/abort",
                      ctx -> {
                        runtime.abort();
                        ctx.json(Map.of("status", "aborting"));
                      });
                  config.routes.ws(
                      "/events",
                      ws -> {
                        ws.onConnect(clients::add);
                        ws.onClose(clients::remove);
                      });
                })
            .start("127.0.0.1", port);
  }

  private void sendEvents() {
    try {
      while (true) {
        String json = events.take();
        for (WsContext client : clients) {
          if (client.session.isOpen()) {
            client.send(json);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closed
    }
  }

  // end::server[]

  /** The port the server listens on (useful when it was started on port 0). */
  int port() {
    return app.port();
  }

  /** Stops the server, then the agent. */
  @Override
  public void close() {
    app.stop();
    sender.interrupt();
    runtime.abort();
    runtime.close();
  }
}
