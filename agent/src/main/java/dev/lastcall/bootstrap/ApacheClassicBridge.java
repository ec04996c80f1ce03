package dev.lastcall.bootstrap;

import java.util.function.BiFunction;

/**
 * What code inlined into Apache HttpClient 5's classic clients ({@code doExecute}) calls: injected
 * into the bootstrap class loader, so every class loader that holds an HttpClient sees it.
 *
 * <p>Internal: for the agent's instrumentation, not for applications.
 */
public final class ApacheClassicBridge {
  /** ({target, request}, response): may swap the response's entity for a teeing one. */
  public static volatile BiFunction<Object, Object, Object> wrapper;

  private ApacheClassicBridge() {}

  /** Called with each response the client returns. Never throws. */
  public static void executed(Object target, Object request, Object response) {
    BiFunction<Object, Object, Object> f = wrapper;
    if (f == null || response == null) {
      return;
    }
    try {
      f.apply(new Object[] {target, request}, response);
    } catch (Throwable t) {
      // the response stays as the client made it
    }
  }
}
