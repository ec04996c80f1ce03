package dev.lastcall.agent.tracking;

import java.io.InputStream;
import java.lang.ref.SoftReference;
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
  private volatile SoftReference<Types> last = new SoftReference<>(null);

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
      Types types = types(response.getClass().getClassLoader());
      URI uri = uri(types, pair[0], pair[1]);
      if (uri == null || !tracker.concerns(uri)) {
        return null;
      }
      int code = (Integer) types.getCode.invoke(response);
      Object header = types.getFirstHeader.invoke(response, "Content-Encoding");
      Object entity = types.getEntity.invoke(response);
      if (code != 200 || header != null || entity == null) {
        return null;
      }
      String encoding = (String) types.getContentEncoding.invoke(entity);
      long length = (Long) types.getContentLength.invoke(entity);
      if ((encoding != null && !encoding.trim().equalsIgnoreCase("identity"))
          || !BodyCopy.fits(length)) {
        return null;
      }
      String method = (String) types.getMethod.invoke(pair[1]);
      Object teed =
          Proxy.newProxyInstance(
              types.entity.getClassLoader(),
              new Class<?>[] {types.entity},
              new Entity(
                  entity,
                  length,
                  bytes -> tracker.observe(new ApiAnswer(method, uri, code, bytes)),
                  tracker));
      types.setEntity.invoke(response, teed);
    } catch (Throwable t) {
      tracker.failed(t);
    }
    return null;
  }

  /**
   * The members of the HttpClient in {@code loader}: the last one found is kept (softly, so a class
   * loader that goes away is not held), as an application rarely has two.
   */
  private Types types(ClassLoader loader) throws ReflectiveOperationException {
    Types known = last.get();
    if (known != null && known.loader == loader) {
      return known;
    }
    Types found = new Types(loader);
    last = new SoftReference<>(found);
    return found;
  }

  /** The request's URI, made absolute with the target host when the request's is relative. */
  private static URI uri(Types types, Object target, Object request) throws Exception {
    URI uri = (URI) types.getUri.invoke(request);
    if (uri.isAbsolute() || target == null) {
      return uri.isAbsolute() ? uri : null;
    }
    return URI.create((String) types.toUri.invoke(target)).resolve(uri);
  }

  /** The public interfaces' members tracking calls, found once per class loader. */
  private static final class Types {
    final ClassLoader loader;
    final Class<?> entity;
    final Method getUri;
    final Method getMethod;
    final Method toUri;
    final Method getCode;
    final Method getFirstHeader;
    final Method getEntity;
    final Method setEntity;
    final Method getContentEncoding;
    final Method getContentLength;

    Types(ClassLoader loader) throws ReflectiveOperationException {
      this.loader = loader;
      Class<?> classic = Class.forName(CORE + "ClassicHttpResponse", false, loader);
      Class<?> request = Class.forName(CORE + "HttpRequest", false, loader);
      entity = Class.forName(CORE + "HttpEntity", false, loader);
      getUri = request.getMethod("getUri");
      getMethod = request.getMethod("getMethod");
      toUri = Class.forName(CORE + "HttpHost", false, loader).getMethod("toURI");
      getCode = classic.getMethod("getCode");
      getFirstHeader = classic.getMethod("getFirstHeader", String.class);
      getEntity = classic.getMethod("getEntity");
      setEntity = classic.getMethod("setEntity", entity);
      getContentEncoding = entity.getMethod("getContentEncoding");
      getContentLength = entity.getMethod("getContentLength");
    }
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
