package dev.lastcall.client;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real proxy process for tests: Debian's {@code tinyproxy}, started in the foreground with a
 * generated configuration on a free loopback port, optionally with {@code BasicAuth}. Its log
 * ({@link #log()}) shows each request it handled, e.g. {@code CONNECT 127.0.0.1:41234 HTTP/1.1}.
 * Tests that need it are skipped where it is not installed.
 */
final class Tinyproxy implements AutoCloseable {
  private static final String[] PLACES = {"/usr/bin/tinyproxy", "/usr/sbin/tinyproxy"};

  private final Process process;
  private final Path logFile;
  private final int port;

  private Tinyproxy(Process process, Path logFile, int port) {
    this.process = process;
    this.logFile = logFile;
    this.port = port;
  }

  /** Skips the calling test (a JUnit assumption) when tinyproxy is not installed. */
  static String executable() {
    for (String place : PLACES) {
      if (new File(place).canExecute()) {
        return place;
      }
    }
    assumeTrue(false, "tinyproxy is not installed (apt-get install tinyproxy); proxy test skipped");
    return null;
  }

  /**
   * Starts one; {@code user} and {@code password} null for a proxy without authentication; {@code
   * extra} configuration lines, e.g. {@code ConnectPort 443}.
   */
  static Tinyproxy start(Path dir, String user, String password, String... extra)
      throws IOException {
    String executable = executable();
    for (int attempt = 0; ; attempt++) {
      int port = freePort();
      Path log = dir.resolve("tinyproxy-" + port + ".log");
      Path conf = dir.resolve("tinyproxy-" + port + ".conf");
      StringBuilder text = new StringBuilder();
      text.append("Port ").append(port).append('\n');
      text.append("Listen 127.0.0.1\n");
      text.append("Timeout 30\n");
      text.append("LogFile \"").append(log).append("\"\n");
      text.append("LogLevel Info\n");
      text.append("MaxClients 200\n");
      text.append("Allow 127.0.0.1\n");
      if (user != null) {
        text.append("BasicAuth ").append(user).append(' ').append(password).append('\n');
      }
      for (String line : extra) {
        text.append(line).append('\n');
      }
      Files.writeString(conf, text, StandardCharsets.US_ASCII);
      Process process =
          new ProcessBuilder(executable, "-d", "-c", conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("tinyproxy-" + port + ".out").toFile())
              .start();
      Tinyproxy proxy = new Tinyproxy(process, log, port);
      if (proxy.awaitListening(TimeUnit.SECONDS.toNanos(10))) {
        return proxy;
      }
      proxy.close();
      if (attempt >= 2) {
        throw new IOException("tinyproxy did not listen on a loopback port; see " + log);
      }
    }
  }

  int port() {
    return port;
  }

  /** The proxy's log so far. */
  String log() throws IOException {
    return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
  }

  /** How many CONNECT requests for {@code hostPort} the log shows. */
  long connectsTo(String hostPort) throws IOException {
    return log().lines().filter(line -> line.contains("CONNECT " + hostPort + " ")).count();
  }

  /** Polls the port (the process may still be starting or may have died); bounded. */
  private boolean awaitListening(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // A poll, bounded above.
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
