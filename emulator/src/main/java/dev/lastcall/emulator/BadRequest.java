package dev.lastcall.emulator;

/** A request the API refuses with 400 and {@code {"error": message}}. */
final class BadRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadRequest(String message) {
    super(message, null, false, false); // control flow, not a bug: no stack trace
  }
}
