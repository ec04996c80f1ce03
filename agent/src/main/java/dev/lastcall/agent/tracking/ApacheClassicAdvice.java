package dev.lastcall.agent.tracking;

import dev.lastcall.bootstrap.ApacheClassicBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the (normal) end of {@code doExecute(target, request, context)} of Apache HttpClient
 * 5's classic clients ({@code InternalHttpClient}, what {@code HttpClients.createDefault()}, {@code
 * custom()} and {@code createSystem()} build, and {@code MinimalHttpClient}): every {@code
 * CloseableHttpClient.execute} form, the response-handler ones included, goes through it before the
 * application (or its handler) sees the response. Hands the response to {@link ApacheEntityTee}.
 * Refers only to JDK types and the bootstrap bridge.
 */
final class ApacheClassicAdvice {
  private ApacheClassicAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(
      @Advice.Argument(0) Object target,
      @Advice.Argument(1) Object request,
      @Advice.Return Object response) {
    ApacheClassicBridge.executed(target, request, response);
  }
}
