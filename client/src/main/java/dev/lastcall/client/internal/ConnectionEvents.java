package dev.lastcall.client.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Dispatcher;
import okhttp3.EventListener;
import okhttp3.Protocol;

/**
 * What the client's calls do with connections, seen through OkHttp's event listener: the
 * connections it opened (so {@link #closeAll} can close even those still carrying a call), the
 * protocol the server speaks, and a signal for whoever waits until one marked call has its
 * connection (the bulk cancel's first call, see {@code FirstCallGate}).
 *
 * <p>Over HTTP/2 it also caps the calls in flight per host at {@link #H2_IN_FLIGHT}: OkHttp puts at
 * most the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} on one connection and starts a new
 * connection for every call beyond it (square/okhttp #5269), so more calls in flight than one
 * connection carries would bring back the burst of connections the warm connection avoids. The
 * server's value is not public in OkHttp; 100 is the floor RFC 9113 (6.5.2) recommends, so it fits
 * within every common server's (Jetty and nginx 128, most CDNs more). Over HTTP/1.1 the cap is the
 * client's concurrency again: there each call in flight needs a connection of its own anyway.
 *
 * <p>One instance per client, shared by every call. Callbacks run on OkHttp's threads and do
 * little: a set insertion, a volatile read.
 */
public final class ConnectionEvents extends EventListener {
  /** Calls in flight per host over HTTP/2. */
  public static final int H2_IN_FLIGHT = 100;

  /** Past this many tracked connections, closed ones are pruned at the next new one. */
  private static final int PRUNE_AT = 64;

  private final Dispatcher dispatcher;
  private final int concurrency;
  private final Set<Connection> opened = ConcurrentHashMap.newKeySet();
  private final List<Waiting> waiting = new CopyOnWriteArrayList<>();
  private volatile Protocol protocol;

  /**
   * @param dispatcher the client's dispatcher, whose per-host limit follows the protocol
   * @param concurrency the client's limit of calls in flight
   */
  public ConnectionEvents(Dispatcher dispatcher, int concurrency) {
    this.dispatcher = dispatcher;
    this.concurrency = concurrency;
  }

  /** The protocol of the connection a call acquired last; null before the first. */
  public Protocol protocol() {
    return protocol;
  }

  /**
   * Runs {@code signal} once, on an OkHttp thread, when the call whose request carries {@code
   * marker} (as its {@link CallMarker} tag) acquires a connection, fails to connect, fails or ends;
   * whichever is first. Other calls' events do not count: a call of another bulk cancel, or a
   * single call, ending at the same moment says nothing about this one's connection. Returns a
   * handle that forgets it (run it to unsubscribe without signalling).
   */
  public Runnable onConnectionOf(CallMarker marker, Runnable signal) {
    Waiting entry = new Waiting(marker, signal);
    waiting.add(entry);
    return new Forget(waiting, entry);
  }

  /** A signal and the call it waits for. */
  private static final class Waiting {
    final CallMarker marker;
    final Runnable signal;

    Waiting(CallMarker marker, Runnable signal) {
      this.marker = marker;
      this.signal = signal;
    }
  }

  /** Forgets a signal that is no longer wanted. */
  private static final class Forget implements Runnable {
    private final List<Waiting> waiting;
    private final Waiting entry;

    Forget(List<Waiting> waiting, Waiting entry) {
      this.waiting = waiting;
      this.entry = entry;
    }

    @Override
    public void run() {
      waiting.remove(entry);
    }
  }

  /**
   * Closes the socket of every connection the client opened, in use or idle. Call after cancelling
   * the calls: a thread blocked reading a connection (HTTP/2's reader) sits in native code, and
   * HotSpot's exit waits for such threads.
   */
  public void closeAll() {
    for (Iterator<Connection> it = opened.iterator(); it.hasNext(); ) {
      Connection connection = it.next();
      it.remove();
      closeQuietly(connection.socket());
    }
  }

  /** How many connections the client opened that are not closed yet. */
  public int openCount() {
    int open = 0;
    for (Connection connection : opened) {
      if (!connection.socket().isClosed()) {
        open++;
      }
    }
    return open;
  }

  @Override
  public void connectionAcquired(Call call, Connection connection) {
    if (opened.add(connection)) {
      if (opened.size() > PRUNE_AT) {
        opened.removeIf(ConnectionEvents::isClosed);
      }
      follow(connection.protocol());
    }
    signal(call);
  }

  @Override
  public void connectFailed(
      Call call, InetSocketAddress address, Proxy proxy, Protocol protocol, IOException e) {
    signal(call);
  }

  @Override
  public void callFailed(Call call, IOException e) {
    signal(call);
  }

  @Override
  public void callEnd(Call call) {
    signal(call);
  }

  @Override
  public void canceled(Call call) {
    signal(call);
  }

  private void follow(Protocol negotiated) {
    if (negotiated == protocol) {
      return;
    }
    protocol = negotiated;
    boolean multiplexed =
        negotiated == Protocol.HTTP_2 || negotiated == Protocol.H2_PRIOR_KNOWLEDGE;
    dispatcher.setMaxRequestsPerHost(
        multiplexed ? Math.min(concurrency, H2_IN_FLIGHT) : concurrency);
  }

  private void signal(Call call) {
    if (waiting.isEmpty()) {
      return;
    }
    CallMarker marker = call.request().tag(CallMarker.class);
    if (marker == null) {
      return;
    }
    for (Waiting entry : waiting) {
      // Once each, however many events of the marked call come at the same time.
      if (entry.marker == marker && waiting.remove(entry)) {
        entry.signal.run();
      }
    }
  }

  private static boolean isClosed(Connection connection) {
    return connection.socket().isClosed();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException | RuntimeException ignored) {
      // Closing is all we wanted; a failure to say goodbye cleanly changes nothing.
    }
  }
}
