package dev.lastcall.client;

import java.io.IOException;

/**
 * The Tasks API answered a single call with an HTTP status that is not a success, or with a success
 * whose body could not be used. Failures to reach the server at all (refused connection, timeout,
 * reset) are plain {@link IOException}s instead.
 *
 * <p>Messages name the HTTP method, the path and the status; they never contain the API key.
 * Subclasses exist for the statuses a caller usually wants to tell apart; any other 4xx status is
 * reported with this class itself.
 */
public class TasksApiException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String error;

  /**
   * @param message names the method, path and status; must not contain credentials
   * @param statusCode the HTTP status code of the answer
   * @param error the server's {@code error} text, or null if the body did not carry one
   */
  public TasksApiException(String message, int statusCode, String error) {
    super(message);
    this.statusCode = statusCode;
    this.error = error;
  }

  /** The HTTP status code the server answered with. */
  public final int statusCode() {
    return statusCode;
  }

  /** The {@code error} text of the server's JSON body, or null if it sent none. */
  public final String error() {
    return error;
  }
}
