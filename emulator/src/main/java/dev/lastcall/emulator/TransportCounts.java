package dev.lastcall.emulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;

/**
 * Connections and HTTP/2 streams per protocol, so a test can tell whether a client reuses its
 * connections. A TLS connection is counted once, as the protocol ALPN chose for it.
 */
final class TransportCounts {
  static final String HTTP_1_1 = "http/1.1";
  static final String H2 = "h2";

  private final Protocol http11 = new Protocol();
  private final Protocol h2 = new Protocol();
  private final LongAdder h2Streams = new LongAdder();

  /** Listens to the connections of the HTTP/1.1 connection factory. */
  Connection.Listener http11Listener() {
    return http11;
  }

  /** Listens to the connections of the HTTP/2 connection factory. */
  Connection.Listener h2Listener() {
    return h2;
  }

  /** Counts the stream of an HTTP/2 request: one per request, the admin endpoints' included. */
  void onRequest(Request request) {
    if (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_2) {
      h2Streams.increment();
    }
  }

  /** Connections accepted since start, by protocol: {@code {"http/1.1": n, "h2": m}}. */
  Map<String, Long> accepted() {
    return byProtocol(http11.accepted.sum(), h2.accepted.sum());
  }

  /** Connections open now, by protocol. */
  Map<String, Long> open() {
    return byProtocol(http11.open.get(), h2.open.get());
  }

  /** HTTP/2 streams (requests) since start: {@code {"h2": k}}. */
  Map<String, Long> streams() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put(H2, h2Streams.sum());
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, Long> byProtocol(long http11, long h2) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put(HTTP_1_1, http11);
    m.put(H2, h2);
    return Collections.unmodifiableMap(m);
  }

  private static final class Protocol implements Connection.Listener {
    final LongAdder accepted = new LongAdder();
    final AtomicLong open = new AtomicLong();

    @Override
    public void onOpened(Connection connection) {
      accepted.increment();
      open.incrementAndGet();
    }

    @Override
    public void onClosed(Connection connection) {
      open.decrementAndGet();
    }
  }
}
