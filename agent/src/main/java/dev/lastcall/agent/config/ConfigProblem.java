package dev.lastcall.agent.config;

/** Thrown by a {@link Setting}'s parser with the reason a value was refused. */
final class ConfigProblem extends Exception {
  private static final long serialVersionUID = 1L;

  ConfigProblem(String reason) {
    super(reason, null, false, false);
  }
}
