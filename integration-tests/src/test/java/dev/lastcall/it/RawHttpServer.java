package dev.lastcall.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A deliberately bad Tasks API on a raw {@link ServerSocket} bound to 127.0.0.1, for the faults the
 * emulator does not make: a server that accepts and never reads or answers, one that trickles its
 * answer a byte at a time, and answers whose bodies are malformed, the wrong shape or huge. Every
 * thread is a daemon; {@link #close()} closes the listener and every connection.
 */
final class RawHttpServer implements AutoCloseable {
  /** One parsed request: method, path and the Authorization header (to prove the key was sent). */
  record Request(String method, String path, String authorization) {}

  /**
   * What to send back: a full HTTP/1.1 answer, optionally one byte every {@code trickleMs}, with
   * more header lines ({@code "Name: value\r\n"} each, or empty). With {@code Transfer-Encoding:
   * chunked} among them the body goes in chunks of 4 KiB and no {@code Content-Length}.
   */
  record Answer(int status, byte[] body, long trickleMs, String headers) {
    Answer(int status, byte[] body, long trickleMs) {
      this(status, body, trickleMs, "");
    }

    static Answer json(int status, String body) {
      return new Answer(status, body.getBytes(StandardCharsets.UTF_8), 0);
    }

    boolean chunked() {
      return headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
    }

    /** The body as sent: itself, or in chunks. */
    byte[] wire() {
      if (!chunked()) {
        return body;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int at = 0; at < body.length; at += 4096) {
        int n = Math.min(4096, body.length - at);
        out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, at, n);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return out.toByteArray();
    }
  }

  private final ServerSocket listener;
  private final Function<Request, Answer> answers; // null: accept and stay silent forever
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean closed;

  private RawHttpServer(Function<Request, Answer> answers) throws IOException {
    this.answers = answers;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    daemon("raw-http-accept", this::acceptLoop).start();
  }

  /** Accepts connections and never reads from or writes to them. */
  static RawHttpServer silent() throws IOException {
    return new RawHttpServer(null);
  }

  /** Reads each request and sends {@code answers.apply(request)}, then closes the connection. */
  static RawHttpServer answering(Function<Request, Answer> answers) throws IOException {
    return new RawHttpServer(answers);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  int requests() {
    return requests.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = listener.accept();
        connections.incrementAndGet();
        sockets.add(socket);
        if (answers != null) {
          daemon("raw-http-conn", () -> serve(socket)).start();
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      Request request = read(socket.getInputStream());
      if (request == null) {
        return;
      }
      requests.incrementAndGet();
      Answer answer = answers.apply(request);
      OutputStream out = socket.getOutputStream();
      byte[] head =
          ("HTTP/1.1 "
                  + answer.status()
                  + " X\r\nContent-Type: application/json\r\n"
                  + (answer.chunked() ? "" : "Content-Length: " + answer.body().length + "\r\n")
                  + "Connection: close\r\n"
                  + answer.headers()
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      if (answer.trickleMs() <= 0) {
        out.write(head);
        out.write(answer.wire());
        out.flush();
        return;
      }
      byte[] all = new byte[head.length + answer.body().length];
      System.arraycopy(head, 0, all, 0, head.length);
      System.arraycopy(answer.body(), 0, all, head.length, answer.body().length);
      for (byte b : all) {
        out.write(b);
        out.flush();
        Thread.sleep(answer.trickleMs()); // the fault itself: a very slow server
      }
    } catch (SocketException e) {
      // The client gave up (deadline, body too large): expected.
    } catch (IOException | InterruptedException e) {
      // Same; nothing to do in a test server.
    } finally {
      sockets.remove(socket);
    }
  }

  /** Reads the request line, headers and a Content-Length body; null if the client went away. */
  private static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] first = lines[0].split(" ");
    int length = 0;
    String authorization = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Integer.parseInt(value);
      } else if (name.equals("authorization")) {
        authorization = value;
      }
    }
    in.readNBytes(length);
    return new Request(first[0], first.length > 1 ? first[1] : "", authorization);
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }
}
