package dev.lastcall.agent.cli;

/**
 * A command line that cannot be run; the message is one line naming what was wrong and what is
 * accepted.
 */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message, null, false, false);
  }
}
