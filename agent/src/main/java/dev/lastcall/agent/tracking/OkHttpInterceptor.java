package dev.lastcall.agent.tracking;

import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.BiFunction;

/**
 * The application's OkHttp's side of tracking: an application interceptor (a {@link Proxy} of its
 * {@code okhttp3.Interceptor}, added to the builder of each {@code OkHttpClient} once, first unless
 * the application added its own before building) that passes every request on unchanged and, for a
 * {@code 200} answer from the API's origin without a content encoding and not longer than the cap,
 * gives the application a body whose source tees what it reads ({@link TeeingSource}). As an
 * application interceptor it sees the answer after OkHttp's own transparent gzip, as the
 * application does. Like OpenTelemetry's, it shows in the client's {@code interceptors()}: the one
 * thing an application can see of tracking. Anything that fails here returns OkHttp's own response.
 */
final class OkHttpInterceptor implements InvocationHandler {
  private final Tracker tracker;
  private final OkHttpTypes types;

  private OkHttpInterceptor(Tracker tracker, OkHttpTypes types) {
    this.tracker = tracker;
    this.types = types;
  }

  /**
   * What {@code OkHttpBridge} calls with the builder of each new client: adds the interceptor
   * unless the builder holds one already (copied by {@code newBuilder()}).
   */
  static BiFunction<Object, Object, Object> wrapper(Tracker tracker) {
    return new Adder(tracker);
  }

  /** Adds tracking's interceptor; one interceptor (and one reflection pass) per OkHttp copy. */
  private static final class Adder implements BiFunction<Object, Object, Object> {
    private final Tracker tracker;
    // Builder class -> its OkHttp's interceptor. Neither held strongly: an application's clients
    // keep their interceptor alive, and a class loader that goes away takes its entry with it.
    private final Map<Class<?>, WeakReference<Object>> interceptors =
        Collections.synchronizedMap(new WeakHashMap<>());

    Adder(Tracker tracker) {
      this.tracker = tracker;
    }

    @Override
    public Object apply(Object builder, Object ignored) {
      try {
        Class<?> type = builder.getClass();
        WeakReference<Object> known = interceptors.get(type);
        Object interceptor = known == null ? null : known.get();
        if (interceptor == null) {
          OkHttpTypes types = new OkHttpTypes(type);
          interceptor =
              Proxy.newProxyInstance(
                  types.loader,
                  new Class<?>[] {types.interceptor},
                  new OkHttpInterceptor(tracker, types));
          interceptors.put(type, new WeakReference<>(interceptor));
        }
        OkHttpTypes types = ((OkHttpInterceptor) Proxy.getInvocationHandler(interceptor)).types;
        @SuppressWarnings("unchecked") // the builder's own modifiable list, as OkHttp documents
        List<Object> list = (List<Object>) types.interceptors.invoke(builder);
        if (!holdsOne(list)) {
          list.add(0, interceptor); // outermost: it sees the answer as the application gets it
        }
      } catch (Throwable t) {
        tracker.failed(t);
      }
      return null;
    }

    private static boolean holdsOne(List<?> interceptors) {
      for (Object each : interceptors) {
        if (each != null
            && Proxy.isProxyClass(each.getClass())
            && Proxy.getInvocationHandler(each) instanceof OkHttpInterceptor) {
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "intercept":
        return intercept(args[0]);
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "Lastcall tracking interceptor";
      default:
        throw new UnsupportedOperationException(method.getName());
    }
  }

  private Object intercept(Object chain) throws Throwable {
    Object request = Reflection.call(types.chainRequest, chain);
    URI uri = null;
    String method = null;
    try {
      URI candidate = URI.create(String.valueOf(types.requestUrl.invoke(request)));
      if (tracker.concerns(candidate)) {
        uri = candidate;
        method = (String) types.requestMethod.invoke(request);
      }
    } catch (Throwable t) {
      tracker.failed(t);
    }
    Object response = Reflection.call(types.chainProceed, chain, request);
    if (uri == null) {
      return response;
    }
    try {
      return teed(response, method, uri);
    } catch (Throwable t) {
      tracker.failed(t);
      return response;
    }
  }

  private Object teed(Object response, String method, URI uri) throws Throwable {
    int code = (Integer) types.responseCode.invoke(response);
    String encoding = (String) types.responseHeader.invoke(response, "Content-Encoding");
    if (code != 200 || (encoding != null && !encoding.trim().equalsIgnoreCase("identity"))) {
      return response;
    }
    Object body = types.responseBody.invoke(response);
    if (body == null) {
      return response;
    }
    long length = (Long) types.bodyContentLength.invoke(body);
    if (!BodyCopy.fits(length)) {
      return response;
    }
    Object source = types.bodySource.invoke(body);
    Object tee =
        Proxy.newProxyInstance(
            types.loader,
            new Class<?>[] {types.source},
            new TeeingSource(
                source,
                types,
                length,
                bytes -> tracker.observe(new ApiAnswer(method, uri, code, bytes)),
                tracker));
    Object teedBody =
        types.createBody.invoke(
            null, types.bodyContentType.invoke(body), length, types.okioBuffer.invoke(null, tee));
    Object builder = types.responseNewBuilder.invoke(response);
    types.builderBody.invoke(builder, teedBody);
    return types.builderBuild.invoke(builder);
  }
}
