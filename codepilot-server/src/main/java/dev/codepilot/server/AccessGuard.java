package dev.codepilot.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the API: requests must carry the server's bearer token; browsers must come from the
 * server's own origin; on a loopback address, the Host header must name a loopback host (which
 * defeats DNS rebinding); WebSocket handshakes from a browser may instead present a short-lived,
 * single-use ticket bound to one session, obtained with the token.
 */
final class AccessGuard {

  static final Duration TICKET_LIFETIME = Duration.ofSeconds(30);
  private static final int MAX_OUTSTANDING_TICKETS = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Ticket(String sessionId, Instant expires) {}

  private final byte[] tokenDigest;
  private final boolean loopbackOnly;
  private final Clock clock;
  private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();

  AccessGuard(String token, boolean loopbackOnly, Clock clock) {
    this.tokenDigest = sha256(token);
    this.loopbackOnly = loopbackOnly;
    this.clock = clock;
  }

  /** A new random token: 256 bits, URL-safe Base64 without padding. */
  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Refuses a request whose Host header names another site while the server listens on a loopback
   * address: a page on another name that resolves here (DNS rebinding) gets 403.
   */
  void checkHost(String host) {
    if (!loopbackOnly) {
      return;
    }
    String name = hostName(host);
    if (name == null || !isLoopbackName(name)) {
      throw ApiException.forbidden(
          "this server only answers requests addressed to a loopback"
              + " host (localhost, 127.0.0.1 or [::1])");
    }
  }

  /**
   * Refuses a browser request from another origin. A request without an Origin header (curl, a
   * program) passes; one with an Origin must match the Host it was sent to.
   */
  void checkOrigin(String origin, String host) {
    if (origin == null) {
      return;
    }
    if (host == null || !sameOrigin(origin, host)) {
      throw ApiException.forbidden(
          "requests from origin "
              + origin
              + " are not allowed;"
              + " use the page this server serves");
    }
  }

  /** Checks {@code Authorization: Bearer <token>}, in constant time. */
  void checkBearer(String authorization) {
    if (!hasValidBearer(authorization)) {
      throw ApiException.unauthorized(
          authorization == null
              ? "missing Authorization header; send 'Authorization: Bearer <token>' with the token"
                  + " the server printed at start"
              : "invalid token");
    }
  }

  boolean hasValidBearer(String authorization) {
    if (authorization == null) {
      return false;
    }
    String prefix = "bearer ";
    if (authorization.length() <= prefix.length()
        || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return false;
    }
    String given = authorization.substring(prefix.length()).strip();
    return MessageDigest.isEqual(sha256(given), tokenDigest);
  }

  /** Issues a ticket that opens one WebSocket on {@code sessionId} within its lifetime. */
  String issueTicket(String sessionId) {
    Instant now = clock.instant();
    tickets.values().removeIf(t -> t.expires().isBefore(now));
    if (tickets.size() >= MAX_OUTSTANDING_TICKETS) {
      throw new ApiException(429, "too many unused tickets; use or let expire the ones issued");
    }
    String ticket = newToken();
    tickets.put(key(ticket), new Ticket(sessionId, now.plus(TICKET_LIFETIME)));
    return ticket;
  }

  /** Uses up a ticket; true when it was issued for this session and has not expired. */
  boolean redeemTicket(String ticket, String sessionId) {
    if (ticket == null || ticket.isEmpty()) {
      return false;
    }
    Ticket found = tickets.remove(key(ticket));
    return found != null
        && found.sessionId().equals(sessionId)
        && !found.expires().isBefore(clock.instant());
  }

  private static String key(String ticket) {
    return HexFormat.of().formatHex(sha256(ticket));
  }

  private static boolean sameOrigin(String origin, String host) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return false;
    }
    if (uri.getRawAuthority() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
      return false;
    }
    String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
    String expected = host.toLowerCase(Locale.ROOT);
    int defaultPort = scheme.equals("https") ? 443 : 80;
    return authority.equals(expected)
        || authority.equals(expected + ":" + defaultPort)
        || expected.equals(authority + ":" + defaultPort);
  }

  /** The host name of a Host header ({@code name}, {@code name:port}, {@code [v6]:port}). */
  private static String hostName(String host) {
    if (host == null || host.isBlank()) {
      return null;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static boolean isLoopbackName(String name) {
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return true;
    }
    if (name.equals("[::1]") || name.equals("[0:0:0:0:0:0:0:1]")) {
      return true;
    }
    String[] parts = name.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(Character::isDigit)
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return parts[0].equals("127");
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
