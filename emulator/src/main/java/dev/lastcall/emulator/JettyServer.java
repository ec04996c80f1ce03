package dev.lastcall.emulator;

import dev.lastcall.emulator.tls.KeyStores;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Builds the Jetty server: one connector, plain HTTP/1.1, or TLS with ALPN offering h2 and http/1.1
 * (or http/1.1 alone). Every thread it starts is a daemon.
 */
final class JettyServer {
  /** Large enough that a burst of thousands of connects is queued, not refused. */
  private static final int ACCEPT_QUEUE = 8192;

  /**
   * Handler threads only compute a small answer; latency and hangs park the request without a
   * thread. So a bounded pool serves thousands of concurrent connections.
   */
  private static final int MAX_THREADS = 256;

  private static final int MIN_THREADS = 4;

  /**
   * Streams a client may have open at once on one h2 connection (Jetty's default, stated here
   * because tests count connections): a client with more requests in flight either queues them or
   * opens another connection, as it would against a real server's limit.
   */
  static final int MAX_CONCURRENT_STREAMS = 128;

  /** The JDK server's idle keep-alive interval; a request in progress is never timed out. */
  private static final long IDLE_TIMEOUT_MS = 30_000;

  private JettyServer() {}

  /** Settings of the transport: where to listen and how. */
  record Transport(String host, int port, ServerIdentity tls, boolean http2) {}

  /** The pool that runs Jetty's acceptor, selectors and handlers, and the delayed answers. */
  static QueuedThreadPool threadPool() {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
    threads.setName("lastcall-emulator");
    threads.setDaemon(true);
    // No threads parked in reserve for the selectors: stopping at once (close()) would find them
    // neither run nor closed, and Jetty warns about each. The handlers are short; none is needed.
    threads.setReservedThreads(0);
    return threads;
  }

  static Server create(
      Transport transport, QueuedThreadPool threads, Handler handler, TransportCounts counts) {
    // Jetty's default timer thread is not a daemon, and would keep a JVM alive.
    Server server =
        new Server(threads, new ScheduledExecutorScheduler("lastcall-emulator-timer", true), null);
    server.setStopTimeout(0); // close() drops connections at once, as HttpServer.stop(0) did

    HttpConfiguration http = new HttpConfiguration();
    // The same headers as before on the wire: no Server header naming Jetty.
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // Paths reach the API as sent, as with the JDK server, which decides 404s itself.
    http.setUriCompliance(UriCompliance.UNSAFE);

    HttpConnectionFactory http11 = new HttpConnectionFactory(http);
    http11.addEventListener(counts.http11Listener());

    ServerConnector connector;
    if (transport.tls() == null) {
      connector = new ServerConnector(server, http11);
    } else {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // Serve any certificate whatever name the client asked for: refusing is the client's job.
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      connector = new ServerConnector(server, tlsFactories(transport, http, http11, counts));
    }
    connector.setHost(transport.host());
    connector.setPort(transport.port());
    connector.setAcceptQueueSize(ACCEPT_QUEUE);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    server.addConnector(connector);
    server.setHandler(handler);
    return server;
  }

  private static ConnectionFactory[] tlsFactories(
      Transport transport,
      HttpConfiguration http,
      HttpConnectionFactory http11,
      TransportCounts counts) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(transport.tls().keyStore());
    ssl.setKeyStorePassword(KeyStores.PASSWORD);
    ssl.setSniRequired(false);
    ALPNServerConnectionFactory alpn;
    if (transport.http2()) {
      // HTTP/2 forbids the weaker TLS 1.2 suites; put the ones it allows first.
      ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
      HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
      h2.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
      h2.addEventListener(counts.h2Listener());
      alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
      alpn.setDefaultProtocol("http/1.1"); // a client that offers no ALPN speaks HTTP/1.1
      return new ConnectionFactory[] {
        new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http11
      };
    }
    alpn = new ALPNServerConnectionFactory("http/1.1");
    alpn.setDefaultProtocol("http/1.1");
    return new ConnectionFactory[] {
      new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, http11
    };
  }
}
