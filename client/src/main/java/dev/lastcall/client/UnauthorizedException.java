package dev.lastcall.client;

/**
 * The Tasks API answered HTTP 401: the API key is missing, wrong or revoked. Retrying with the same
 * key will not help.
 */
public final class UnauthorizedException extends TasksApiException {
  private static final long serialVersionUID = 1L;

  public UnauthorizedException(String message, int statusCode, String error) {
    super(message, statusCode, error);
  }
}
