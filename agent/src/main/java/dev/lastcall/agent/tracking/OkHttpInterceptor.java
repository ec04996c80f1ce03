package dev.lastcall.agent.tracking;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.function.BiFunction;

/**
 * The application's OkHttp's side of tracking: an application interceptor (a {@link Proxy} of its
 * {@code okhttp3.Interceptor}, added first to each {@code OkHttpClient.Builder}) that passes every
 * request on unchanged and, for a {@code 200} answer from the API's origin without a content
 * encoding and not longer than the cap, gives the application a body whose source tees what it
 * reads ({@link TeeingSource}). As the outermost interceptor it sees what the application sees,
 * after OkHttp's own transparent gzip. Anything that fails here returns OkHttp's own response.
 */
final class OkHttpInterceptor implements InvocationHandler {
  private final Tracker tracker;
  private final OkHttpTypes types;

  private OkHttpInterceptor(Tracker tracker, OkHttpTypes types) {
    this.tracker = tracker;
    this.types = types;
  }

  /** What {@code OkHttpBridge} calls with each new builder: adds the interceptor. */
  static BiFunction<Object, Object, Object> wrapper(Tracker tracker) {
    return (builder, ignored) -> {
      try {
        OkHttpTypes types = new OkHttpTypes(builder.getClass());
        Object interceptor =
            Proxy.newProxyInstance(
                types.loader,
                new Class<?>[] {types.interceptor},
                new OkHttpInterceptor(tracker, types));
        types.addInterceptor.invoke(builder, interceptor);
      } catch (Throwable t) {
        tracker.failed(t);
      }
      return null;
    };
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
