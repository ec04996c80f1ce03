package dev.lastcall.bootstrap;

import java.util.function.BiFunction;

/**
 * The holder that code inlined into the JDK's {@code HttpClient} reaches: injected into the
 * bootstrap class loader (with the other clients' bridges, all at once) before any instrumentation
 * is installed, so the JDK's classes see it, while the agent's classes find this same copy by
 * parent-first delegation. Holds only a JDK function type: nothing of the agent has to be visible
 * from the bootstrap loader; every bridge in this package is built the same way.
 *
 * <p>Internal: for the agent's instrumentation, not for applications.
 */
public final class JdkHttpBridge {
  /** (request, handler) to the handler to use; null until tracking is installed. */
  public static volatile BiFunction<Object, Object, Object> wrapper;

  private JdkHttpBridge() {}

  /**
   * The handler the client should use for {@code request}: a teeing one when tracking wants to see
   * the answer, else {@code handler} itself. Never throws.
   */
  public static Object handler(Object request, Object handler) {
    BiFunction<Object, Object, Object> f = wrapper;
    if (f == null || handler == null) {
      return handler;
    }
    try {
      Object wrapped = f.apply(request, handler);
      return wrapped != null ? wrapped : handler;
    } catch (Throwable t) {
      return handler;
    }
  }
}
