package dev.lastcall.client;

/**
 * The Tasks API answered HTTP 404: no such task, or it belongs to another account (the API does not
 * tell the two apart).
 */
public final class TaskNotFoundException extends TasksApiException {
  private static final long serialVersionUID = 1L;

  public TaskNotFoundException(String message, int statusCode, String error) {
    super(message, statusCode, error);
  }
}
