package dev.lastcall.client;

/** The Tasks API answered HTTP 5xx: the server failed. The request may succeed if retried. */
public final class ServerErrorException extends TasksApiException {
  private static final long serialVersionUID = 1L;

  public ServerErrorException(String message, int statusCode, String error) {
    super(message, statusCode, error);
  }
}
