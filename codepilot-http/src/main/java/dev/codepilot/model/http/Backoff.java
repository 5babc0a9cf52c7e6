package dev.codepilot.model.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before a retry: what the server asked for in its retry headers, or else an
 * exponential delay with jitter.
 *
 * @param initial the delay before the first retry, before jitter
 * @param max the longest exponential delay
 * @param longestRetryAfter the longest wait a server's {@code retry-after} can impose
 */
public record Backoff(Duration initial, Duration max, Duration longestRetryAfter) {

  /** 1 s, 2 s, 4 s ... up to 30 s, each shortened by up to half at random. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));

  /**
   * The wait before retry number {@code retry} (0 for the first). A server's own figure wins,
   * capped at {@link #longestRetryAfter}; otherwise the delay doubles each time and a random part
   * of up to half of it is taken off, so that clients that failed together do not return together.
   */
  Duration delay(int retry, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent()) {
      Duration asked = retryAfter.get();
      return asked.compareTo(longestRetryAfter) > 0 ? longestRetryAfter : asked;
    }
    long initialNanos = Math.max(1, initial.toNanos());
    long capped = Math.min(max.toNanos(), initialNanos << Math.min(retry, 30));
    long jitter = (long) (capped * 0.5 * ThreadLocalRandom.current().nextDouble());
    return Duration.ofNanos(capped - jitter);
  }

  /**
   * The wait a response asks for: {@code retry-after-ms} (OpenAI), else {@code retry-after} as
   * seconds or as an HTTP date. Empty when neither is present or readable.
   */
  static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
    Optional<Duration> millis =
        headers
            .firstValue("retry-after-ms")
            .flatMap(v -> seconds(v).map(d -> Duration.ofNanos(d.toNanos() / 1000)));
    if (millis.isPresent()) {
      return millis;
    }
    return headers
        .firstValue("retry-after")
        .flatMap(
            v -> {
              Optional<Duration> seconds = seconds(v);
              return seconds.isPresent() ? seconds : httpDate(v, now);
            });
  }

  /** A non-negative decimal number read as seconds. */
  private static Optional<Duration> seconds(String value) {
    try {
      double seconds = Double.parseDouble(value.strip());
      if (seconds >= 0 && seconds < 1e9) {
        return Optional.of(Duration.ofNanos((long) (seconds * 1e9)));
      }
    } catch (NumberFormatException ignored) {
      // Not a number: maybe a date.
    }
    return Optional.empty();
  }

  private static Optional<Duration> httpDate(String value, Instant now) {
    try {
      Instant at =
          ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
