package dev.lastcall.agent.tracking;

import dev.lastcall.bootstrap.JdkHttpBridge;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code jdk.internal.net.http.HttpClientImpl}'s private {@code
 * sendAsync(request, handler, pushPromiseHandler, executor)}, which {@code send} and both public
 * {@code sendAsync} go through (JDK 11 to 25): swaps the application's body handler for one that
 * hands the application exactly what it would get and keeps a copy for {@link TaskAnswers}. Refers
 * only to JDK types and {@link JdkHttpBridge}, which the bootstrap loader holds.
 */
final class JdkHttpClientAdvice {
  private JdkHttpClientAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  @SuppressWarnings({"rawtypes", "UnusedAssignment"})
  static void enter(
      @Advice.Argument(0) HttpRequest request,
      @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler handler) {
    handler = (HttpResponse.BodyHandler) JdkHttpBridge.handler(request, handler);
  }
}
