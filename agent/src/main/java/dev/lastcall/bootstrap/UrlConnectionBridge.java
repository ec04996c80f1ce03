package dev.lastcall.bootstrap;

import java.io.InputStream;
import java.util.function.BiFunction;

/**
 * What code inlined into the JDK's {@code sun.net.www.protocol.http.HttpURLConnection} (in {@code
 * java.base}) calls: injected into the bootstrap class loader, like {@link JdkHttpBridge}.
 *
 * <p>Internal: for the agent's instrumentation, not for applications.
 */
public final class UrlConnectionBridge {
  /** (connection, its stream) to the stream to hand the application; null until installed. */
  public static volatile BiFunction<Object, Object, Object> wrapper;

  private UrlConnectionBridge() {}

  /** The stream {@code getInputStream} should return: {@code stream} or a tee. Never throws. */
  public static InputStream stream(Object connection, InputStream stream) {
    BiFunction<Object, Object, Object> f = wrapper;
    if (f == null || stream == null) {
      return stream;
    }
    try {
      Object wrapped = f.apply(connection, stream);
      return wrapped instanceof InputStream ? (InputStream) wrapped : stream;
    } catch (Throwable t) {
      return stream;
    }
  }
}
