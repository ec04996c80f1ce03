package dev.lastcall.agent.config;

/** Thrown by a value parser with the reason a value was refused. */
final class RefusedValue extends Exception {
  private static final long serialVersionUID = 1L;

  RefusedValue(String reason) {
    super(reason, null, false, false);
  }
}
