package dev.lastcall.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;

/** Test servers and addresses. */
public final class Servers {
  private Servers() {}

  /** A port on loopback that nothing listens on: connecting is refused at once. */
  public static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A queue dispatcher that notes when each request arrived (RecordedRequest has no time). */
  public static final class TimedQueue extends QueueDispatcher {
    public final List<Long> arrivals = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      arrivals.add(System.nanoTime());
      return super.dispatch(request);
    }
  }
}
