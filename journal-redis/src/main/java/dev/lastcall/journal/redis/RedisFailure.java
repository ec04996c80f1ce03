package dev.lastcall.journal.redis;

import javax.net.ssl.SSLHandshakeException;

/**
 * A Redis failure in a user's words: an untrusted certificate says what to do about it (as the
 * API's TLS failures do), anything else is Jedis's message with its cause's. Never holds the
 * password: Jedis's messages name the host and the server's error, not the credentials.
 */
final class RedisFailure {
  private RedisFailure() {}

  static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException
          && String.valueOf(t.getMessage()).contains("PKIX path building failed")) {
        return "TLS: the Redis server's certificate is not trusted; add its CA with caFile";
      }
      if (t instanceof SSLHandshakeException) {
        return "TLS: " + t.getMessage();
      }
    }
    Throwable cause = failure.getCause();
    String message = String.valueOf(failure.getMessage());
    return cause == null || message.contains(String.valueOf(cause.getMessage()))
        ? message
        : message + " (" + cause + ")";
  }
}
