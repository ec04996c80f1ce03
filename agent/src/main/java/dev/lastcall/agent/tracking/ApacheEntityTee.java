package dev.lastcall.agent.tracking;

import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.function.BiFunction;

/**
 * Apache HttpClient 5 classic's side of tracking: for a {@code 200} answer from the API's origin,
 * without a content encoding and not longer than the cap, replaces the response's entity with a
 * {@link Proxy} of {@code HttpEntity} that answers every call with the client's own entity, except
 * that the first {@code getContent()} is a {@link TeeingInputStream} over the client's stream. The
 * entity the client made is a package-private class, so no application can have depended on its
 * type. As the client's last step it sees what the application sees: after the client's own content
 * decompression. Reflection on the client's public interfaces only ({@code ClassicHttpResponse},
 * {@code HttpRequest}, {@code HttpEntity}, {@code HttpHost}); Apache's classes are not bundled by
 * the agent, but may live in any class loader.
 */
final class ApacheEntityTee implements BiFunction<Object, Object, Object> {
  private static final String CORE = "org.apache.hc.core5.http.";

  private final Tracker tracker;

  private ApacheEntityTee(Tracker tracker) {
    this.tracker = tracker;
  }

  /** What {@code ApacheClassicBridge} calls. */
  static BiFunction<Object, Object, Object> wrapper(Tracker tracker) {
    return new ApacheEntityTee(tracker);
  }

  @Override
  public Object apply(Object targetAndRequest, Object response) {
    try {
      Object[] pair = (Object[]) targetAndRequest;
      ClassLoader loader = response.getClass().getClassLoader();
      URI uri = uri(pair[0], pair[1], loader);
      if (uri == null || !tracker.concerns(uri)) {
        return null;
      }
      Class<?> classic = Class.forName(CORE + "ClassicHttpResponse", false, loader);
      Class<?> entityType = Class.forName(CORE + "HttpEntity", false, loader);
      int code = (Integer) classic.getMethod("getCode").invoke(response);
      Object header =
          classic.getMethod("getFirstHeader", String.class).invoke(response, "Content-Encoding");
      Object entity = classic.getMethod("getEntity").invoke(response);
      if (code != 200 || header != null || entity == null) {
        return null;
      }
      String encoding = (String) entityType.getMethod("getContentEncoding").invoke(entity);
      long length = (Long) entityType.getMethod("getContentLength").invoke(entity);
      if ((encoding != null && !encoding.trim().equalsIgnoreCase("identity"))
          || !BodyCopy.fits(length)) {
        return null;
      }
      String method =
          (String)
              Class.forName(CORE + "HttpRequest", false, loader)
                  .getMethod("getMethod")
                  .invoke(pair[1]);
      Object teed =
          Proxy.newProxyInstance(
              entityType.getClassLoader(),
              new Class<?>[] {entityType},
              new Entity(
                  entity,
                  length,
                  bytes -> tracker.observe(new ApiAnswer(method, uri, code, bytes)),
                  tracker));
      classic.getMethod("setEntity", entityType).invoke(response, teed);
    } catch (Throwable t) {
      tracker.failed(t);
    }
    return null;
  }

  /** The request's URI, made absolute with the target host when the request's is relative. */
  private static URI uri(Object target, Object request, ClassLoader loader) throws Exception {
    URI uri =
        (URI)
            Class.forName(CORE + "HttpRequest", false, loader).getMethod("getUri").invoke(request);
    if (uri.isAbsolute() || target == null) {
      return uri.isAbsolute() ? uri : null;
    }
    String host =
        (String) Class.forName(CORE + "HttpHost", false, loader).getMethod("toURI").invoke(target);
    return URI.create(host).resolve(uri);
  }

  /** The client's entity, its first content stream teed. */
  private static final class Entity implements InvocationHandler {
    private final Object entity;
    private final long length;
    private final java.util.function.Consumer<byte[]> whole;
    private final Tracker tracker;
    private boolean handedOut;

    Entity(Object entity, long length, java.util.function.Consumer<byte[]> whole, Tracker tracker) {
      this.entity = entity;
      this.length = length;
      this.whole = whole;
      this.tracker = tracker;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          break;
      }
      Object result = Reflection.call(method, entity, args);
      if (method.getName().equals("getContent")
          && method.getParameterCount() == 0
          && result instanceof InputStream in) {
        synchronized (this) {
          if (handedOut) {
            return in; // a later stream (a consume after a handler read it) is the client's own
          }
          handedOut = true;
        }
        return new TeeingInputStream(in, length, whole, tracker);
      }
      return result;
    }
  }
}
