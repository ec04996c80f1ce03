package dev.lastcall.client;

/**
 * The Tasks API answered with a success status but a body this client cannot use: not JSON, JSON of
 * the wrong shape (for example a missing {@code status}), or larger than 1 MiB. Bodies are never
 * read past 1 MiB, so a huge or endless body costs at most that much.
 */
public final class MalformedResponseException extends TasksApiException {
  private static final long serialVersionUID = 1L;

  public MalformedResponseException(String message, int statusCode) {
    super(message, statusCode, null);
  }
}
