package dev.lastcall.agent.tracking;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The members of one application's OkHttp (3.x, 4.x or 5.x) and Okio that tracking calls, found by
 * reflection from its {@code OkHttpClient.Builder} class; every type is reached from another's
 * signature, so no OkHttp or Okio name is written here (the shade plugin would relocate it to the
 * agent's own copy). All of them are public API of the three major versions (Kotlin's {@code
 * JvmName}/{@code JvmStatic}/{@code JvmOverloads} keep 3.x's Java names in 4.x and 5.x).
 *
 * <p>Why reflection and {@link java.lang.reflect.Proxy} rather than helper classes injected into
 * the application's class loader: the agent's classes cannot be compiled against the application's
 * OkHttp at all (relocation), several OkHttp versions may live in different class loaders, and a
 * proxy of a public interface ({@code Interceptor}, {@code Source}) is defined by the JDK in the
 * interface's own loader, the documented way to implement an interface one cannot name.
 */
final class OkHttpTypes {
  final ClassLoader loader;
  final Class<?> interceptor;
  final Method interceptors;
  final Method chainRequest;
  final Method chainProceed;
  final Method requestUrl;
  final Method requestMethod;
  final Method responseCode;
  final Method responseHeader;
  final Method responseBody;
  final Method responseNewBuilder;
  final Method builderBody;
  final Method builderBuild;
  final Method bodyContentType;
  final Method bodyContentLength;
  final Method bodySource;
  final Method createBody;
  final Class<?> source;
  final Method sourceRead;
  final Method bufferSize;
  final Method bufferCopyTo;
  final Method okioBuffer;

  /**
   * Resolves every member from the {@code OkHttpClient.Builder} class; throws if one is missing.
   */
  OkHttpTypes(Class<?> builderType) throws ReflectiveOperationException {
    loader = builderType.getClassLoader();
    interceptor = oneArgument(builderType, "addInterceptor").getParameterTypes()[0];
    interceptors = builderType.getMethod("interceptors");
    Method intercept = oneArgument(interceptor, "intercept");
    Class<?> chain = intercept.getParameterTypes()[0];
    chainRequest = chain.getMethod("request");
    Class<?> request = chainRequest.getReturnType();
    chainProceed = chain.getMethod("proceed", request);
    Class<?> response = chainProceed.getReturnType();
    requestUrl = request.getMethod("url");
    requestMethod = request.getMethod("method");
    responseCode = response.getMethod("code");
    responseHeader = response.getMethod("header", String.class);
    responseBody = response.getMethod("body");
    Class<?> body = responseBody.getReturnType();
    responseNewBuilder = response.getMethod("newBuilder");
    Class<?> builder = responseNewBuilder.getReturnType();
    builderBody = builder.getMethod("body", body);
    builderBuild = builder.getMethod("build");
    bodyContentType = body.getMethod("contentType");
    bodyContentLength = body.getMethod("contentLength");
    bodySource = body.getMethod("source");
    Class<?> bufferedSource = bodySource.getReturnType();
    createBody =
        body.getMethod("create", bodyContentType.getReturnType(), long.class, bufferedSource);
    if (!Modifier.isStatic(createBody.getModifiers())) {
      throw new NoSuchMethodException("static ResponseBody.create(MediaType, long, source)");
    }
    String okio = bufferedSource.getPackageName();
    source = Class.forName(okio + ".Source", false, loader);
    Class<?> buffer = Class.forName(okio + ".Buffer", false, loader);
    sourceRead = source.getMethod("read", buffer, long.class);
    bufferSize = buffer.getMethod("size");
    bufferCopyTo = buffer.getMethod("copyTo", OutputStream.class, long.class, long.class);
    okioBuffer = Class.forName(okio + ".Okio", false, loader).getMethod("buffer", source);
  }

  private static Method oneArgument(Class<?> type, String name) throws NoSuchMethodException {
    for (Method method : type.getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == 1) {
        return method;
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name);
  }
}
