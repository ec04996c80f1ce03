package dev.lastcall.agent.tracking;

import dev.lastcall.bootstrap.OkHttpBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the application's {@code okhttp3.OkHttpClient.Builder()} (OkHttp 3.x to
 * 5.x; {@code new OkHttpClient()} makes one too, and {@code newBuilder()} copies its interceptors),
 * as OpenTelemetry's OkHttp instrumentation does: adds tracking's interceptor ({@link
 * OkHttpInterceptor}). Names no OkHttp type: the agent jar's own OkHttp is relocated, and the shade
 * plugin would rewrite any name of it here to the agent's copy.
 */
final class OkHttpAdvice {
  private OkHttpAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.This Object builder) {
    OkHttpBridge.built(builder);
  }
}
