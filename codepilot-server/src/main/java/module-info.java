/** Agents served over HTTP and WebSocket, with a browser UI: {@code dev.codepilot.server}. */
module dev.codepilot.server {
  requires transitive dev.codepilot;
  requires io.javalin;
  requires org.eclipse.jetty.http;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.util;
  requires org.eclipse.jetty.websocket.api;

  exports dev.codepilot.server;
}
