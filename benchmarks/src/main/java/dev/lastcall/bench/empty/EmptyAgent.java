package dev.lastcall.bench.empty;

import java.lang.instrument.Instrumentation;

/**
 * The floor for any agent: the JVM's own {@code -javaagent} machinery and a premain that does
 * nothing.
 */
public final class EmptyAgent {
  private EmptyAgent() {}

  public static void premain(String args, Instrumentation instrumentation) {
    // Nothing: what is left is what attaching any agent costs.
  }
}
