package dev.lastcall.agent.tracking;

import dev.lastcall.bootstrap.UrlConnectionBridge;
import java.io.InputStream;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the (normal) end of {@code sun.net.www.protocol.http.HttpURLConnection}'s {@code
 * getInputStream()}: the JDK's {@code http} connection, and the delegate every {@code https}
 * connection reads through. Swaps the stream returned for one that tees what the application reads
 * ({@link UrlConnectionTee}). A call that throws (an error status, a failed connection) is left
 * alone. Refers only to JDK types and {@link UrlConnectionBridge}, which the bootstrap loader
 * holds.
 */
final class UrlConnectionAdvice {
  private UrlConnectionAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  @SuppressWarnings("UnusedAssignment")
  static void exit(
      @Advice.This Object connection, @Advice.Return(readOnly = false) InputStream stream) {
    stream = UrlConnectionBridge.stream(connection, stream);
  }
}
