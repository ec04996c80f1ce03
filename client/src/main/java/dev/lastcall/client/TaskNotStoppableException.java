package dev.lastcall.client;

/**
 * The Tasks API answered HTTP 400 to a stop request: the task is not in progress. This is
 * <em>not</em> proof that the task is finished: a {@code pending} task that has not started yet
 * gets the same answer and will run later. Check {@link TasksClient#status} before drawing
 * conclusions.
 */
public final class TaskNotStoppableException extends TasksApiException {
  private static final long serialVersionUID = 1L;

  public TaskNotStoppableException(String message, int statusCode, String error) {
    super(message, statusCode, error);
  }
}
