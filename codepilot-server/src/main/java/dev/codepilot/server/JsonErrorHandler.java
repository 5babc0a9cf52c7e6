package dev.codepilot.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codepilot.internal.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to requests it refuses before they reach the API (a malformed URI, say), in the
 * API's own shape: {@code {"error": "..."}}, never an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    ObjectNode node = Json.mapper().createObjectNode();
    String reason = HttpStatus.getMessage(code);
    node.put(
        "error",
        message == null || message.isBlank() || message.equals(reason)
            ? reason
            : reason + ": " + message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(
        true, ByteBuffer.wrap(node.toString().getBytes(StandardCharsets.UTF_8)), callback);
  }
}
