package dev.lastcall;

/** What became of one task in a bulk cancel. */
public enum Outcome {
  /** The API confirmed the stop: a 200 to the stop request, or a status of {@code stopped}. */
  STOPPED,
  /**
   * The task had already finished on its own ({@code completed}, {@code error}, {@code timeout}).
   */
  ALREADY_DONE,
  /** 404: no such task, or it belongs to another account. */
  NOT_FOUND,
  /** 401: the API key was refused. */
  UNAUTHORIZED,
  /**
   * Gave up before the deadline: an answer that retrying cannot change (403, 409, ...), or bodies
   * that kept being malformed.
   */
  FAILED,
  /** The deadline came before the task was confirmed stopped or done. It may still be running. */
  TIMED_OUT;

  /**
   * True if the task is known not to be running any more: {@link #STOPPED} or {@link
   * #ALREADY_DONE}. Cancel on demand deregisters exactly these.
   */
  public boolean isConfirmed() {
    return this == STOPPED || this == ALREADY_DONE;
  }

  /**
   * True if no later attempt can change the answer: the task is confirmed not running, or the API
   * does not know it ({@link #NOT_FOUND}). Time limits deregister these, and a journal sweep
   * forgets them; the others are tried again.
   */
  public boolean isFinal() {
    return isConfirmed() || this == NOT_FOUND;
  }
}
