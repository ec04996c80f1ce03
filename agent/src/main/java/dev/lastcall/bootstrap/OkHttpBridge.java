package dev.lastcall.bootstrap;

import java.util.function.BiFunction;

/**
 * What code inlined into the application's {@code OkHttpClient(Builder)} constructor calls:
 * injected into the bootstrap class loader, so every class loader that holds an OkHttp sees it.
 *
 * <p>Internal: for the agent's instrumentation, not for applications.
 */
public final class OkHttpBridge {
  /** (builder, null): adds tracking's interceptor to the builder once; null until installed. */
  public static volatile BiFunction<Object, Object, Object> wrapper;

  private OkHttpBridge() {}

  /** Called with the builder a client is being made from. Never throws. */
  public static void built(Object builder) {
    BiFunction<Object, Object, Object> f = wrapper;
    if (f == null || builder == null) {
      return;
    }
    try {
      f.apply(builder, null);
    } catch (Throwable t) {
      // the builder stays as the application made it
    }
  }
}
