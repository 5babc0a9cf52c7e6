package dev.codepilot.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browser UI: a fixed set of files from the jar, read once, served without the token (they hold
 * no data; everything the page shows comes from the API). Strict headers keep the page from loading
 * anything but its own files and from leaking its URL, which may carry the token.
 */
final class StaticUi {

  private static final String ROOT = "/dev/codepilot/server/ui/";

  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "api.js", "text/javascript; charset=utf-8",
          "timeline.js", "text/javascript; charset=utf-8",
          "dom.js", "text/javascript; charset=utf-8",
          "style.css", "text/css; charset=utf-8",
          "favicon.svg", "image/svg+xml");

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self';"
          + " style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";

  private final Map<String, byte[]> contents = new LinkedHashMap<>();

  StaticUi() {
    for (String name : FILES.keySet()) {
      contents.put(name, read(name));
    }
  }

  void register(RoutesConfig routes) {
    routes.get("/", ctx -> serve(ctx, "index.html"));
    for (String name : FILES.keySet()) {
      routes.get("/" + name, ctx -> serve(ctx, name));
    }
  }

  /** Headers for every response, the API's included. */
  static void secureHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cache-Control", "no-store");
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  }

  private void serve(Context ctx, String name) {
    ctx.contentType(FILES.get(name));
    ctx.result(contents.get(name));
  }

  private static byte[] read(String name) {
    try (InputStream in = StaticUi.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("the UI file " + ROOT + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
