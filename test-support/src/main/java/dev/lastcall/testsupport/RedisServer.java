package dev.lastcall.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real Redis for tests: Debian's {@code redis-server} (installed by {@code .ci/run} when
 * missing), started in the foreground on a free loopback port with its files in a test's temporary
 * directory and no persistence, so a restart starts empty, as a Redis without persistence does.
 */
public final class RedisServer implements AutoCloseable {
  private static final String[] PLACES = {"/usr/bin/redis-server", "/usr/sbin/redis-server"};

  private final Process process;
  private final int port;
  private final Path dir;
  private final List<String> extra;

  private RedisServer(Process process, int port, Path dir, List<String> extra) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.extra = extra;
  }

  /** The installed server's path; fails with how to install it when there is none. */
  public static String executable() throws IOException {
    for (String place : PLACES) {
      if (new File(place).canExecute()) {
        return place;
      }
    }
    throw new IOException(
        "redis-server is not installed; the Redis journal's tests need it: apt-get install"
            + " redis-server (.ci/run does)");
  }

  /** Starts one on a free loopback port; {@code extra} are more arguments, e.g. --requirepass x. */
  public static RedisServer start(Path dir, String... extra) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return startOn(freePort(), dir, extra);
      } catch (IOException e) {
        last = e; // the port was taken in between: another
      }
    }
    throw last;
  }

  /** Starts one on {@code port}, e.g. again after {@link #kill()}. */
  public static RedisServer startOn(int port, Path dir, String... extra) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(executable());
    command.addAll(
        List.of(
            "--port", Integer.toString(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", dir.toString(),
            "--daemonize", "no",
            "--logfile", dir.resolve("redis-" + port + ".log").toString()));
    command.addAll(Arrays.asList(extra));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis-" + port + ".out").toFile())
            .start();
    RedisServer server = new RedisServer(process, port, dir, List.of(extra));
    if (!server.awaitListening(TimeUnit.SECONDS.toNanos(10))) {
      server.kill();
      throw new IOException("redis-server did not listen on port " + port + "; see " + dir);
    }
    return server;
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Kills the server (SIGKILL) and waits for it to be gone (bounded). */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A new server on the same port with the same arguments, empty (no persistence). */
  public RedisServer restart() throws IOException {
    kill();
    return startOn(port, dir, extra.toArray(new String[0]));
  }

  /**
   * Sends one command (after AUTH when started with {@code --requirepass}) and returns the first
   * reply line, e.g. {@code :3} for SCARD.
   */
  public String command(String... words) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      socket.setSoTimeout(5000);
      int pw = extra.indexOf("--requirepass");
      if (pw >= 0 && !(words.length == 1 && words[0].equals("PING"))) {
        send(socket, "AUTH", extra.get(pw + 1));
      }
      return send(socket, words);
    }
  }

  private static String send(Socket socket, String... words) throws IOException {
    {
      StringBuilder resp = new StringBuilder();
      resp.append('*').append(words.length).append("\r\n");
      for (String word : words) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        resp.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  /** Polls the port with PING (the process may still be starting or may have died); bounded. */
  private boolean awaitListening(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end && process.isAlive()) {
      try {
        String reply = command("PING");
        if (reply.equals("+PONG") || reply.startsWith("-NOAUTH")) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // A poll, bounded above.
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    kill();
  }

  /** The server's log so far, for a failing test's output. */
  public String log() throws IOException {
    Path log = dir.resolve("redis-" + port + ".log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
