package dev.lastcall.agent.tracking;

import dev.lastcall.bootstrap.OkHttpBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of the application's {@code okhttp3.OkHttpClient(Builder)} constructor,
 * which every client of OkHttp 3.x to 5.x is made by ({@code new OkHttpClient()}, {@code
 * builder.build()}, {@code newBuilder().build()}): makes sure the builder holds tracking's
 * interceptor ({@link OkHttpInterceptor}) once, as OpenTelemetry's OkHttp instrumentation adds its
 * own. Not the builder's constructor: in 4.x and 5.x {@code newBuilder()} runs {@code Builder()}
 * before copying the client's interceptors, which would add it twice. Names no OkHttp type: the
 * agent jar's own OkHttp is relocated, and the shade plugin would rewrite any name of it here.
 */
final class OkHttpAdvice {
  private OkHttpAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) Object builder) {
    OkHttpBridge.built(builder);
  }
}
