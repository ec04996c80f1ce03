package dev.lastcall.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The Tasks API answered HTTP 429: too many requests. Retry later, after {@link #retryAfter()} if
 * given.
 */
public final class RateLimitedException extends TasksApiException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * @param retryAfter how long the server asked to wait ({@code Retry-After}), or null if it did
   *     not say
   */
  public RateLimitedException(String message, String error, Duration retryAfter) {
    super(message, 429, error);
    this.retryAfter = retryAfter;
  }

  /**
   * How long the server asked the client to wait, from its {@code Retry-After} header, if it sent
   * one.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
