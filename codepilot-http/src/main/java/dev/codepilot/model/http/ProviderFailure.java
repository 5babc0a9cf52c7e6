package dev.codepilot.model.http;

import java.time.Duration;
import java.util.Optional;

/**
 * One attempt at a provider call failed. {@link HttpTransport} retries the retryable ones and turns
 * the last one into a {@link dev.codepilot.model.ModelException} with the same message.
 */
public final class ProviderFailure extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final transient Optional<Duration> retryAfter;

  private ProviderFailure(
      String message, Throwable cause, boolean retryable, Optional<Duration> retryAfter) {
    super(message, cause);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** A failure that another attempt cannot fix (bad key, unknown model, malformed reply). */
  public static ProviderFailure fatal(String message) {
    return new ProviderFailure(message, null, false, Optional.empty());
  }

  /** A failure that may pass (overload, rate limit, broken connection, timeout). */
  public static ProviderFailure retryable(String message) {
    return new ProviderFailure(message, null, true, Optional.empty());
  }

  /** A retryable failure caused by an exception, such as a broken connection. */
  public static ProviderFailure retryable(String message, Throwable cause) {
    return new ProviderFailure(message, cause, true, Optional.empty());
  }

  /** A retryable failure whose response said how long to wait. */
  public static ProviderFailure retryable(String message, Optional<Duration> retryAfter) {
    return new ProviderFailure(message, null, true, retryAfter);
  }

  boolean isRetryable() {
    return retryable;
  }

  Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
