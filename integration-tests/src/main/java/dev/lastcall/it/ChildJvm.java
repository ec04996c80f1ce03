package dev.lastcall.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A child JVM whose stdout and stderr are read on their own threads, line by line: waits for its
 * {@code READY <n>} line, signals it, and waits for it to exit, each with a bounded timeout. Shared
 * by the demo and the integration tests. Closing it kills the process if it is still alive.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
  private final CompletableFuture<Integer> ready = new CompletableFuture<>();
  private final Thread stdoutReader;
  private final Thread stderrReader;
  private volatile long signalledAtNanos;
  private volatile long readyAtNanos;
  private volatile long exitedAtNanos;
  private volatile long exitedAtMillis;
  private final CompletableFuture<Void> exited;

  private ChildJvm(Process process, Consumer<String> stdoutRelay, Consumer<String> stderrRelay) {
    this.process = process;
    this.exited =
        process
            .onExit()
            .thenRun(
                () -> {
                  exitedAtNanos = System.nanoTime();
                  exitedAtMillis = System.currentTimeMillis();
                });
    this.stdoutReader =
        reader(
            "stdout",
            process.getInputStream(),
            line -> {
              synchronized (stdout) {
                stdout.add(line);
                stdout.notifyAll();
              }
              if (!ready.isDone() && line.startsWith("READY ")) {
                readyAtNanos = System.nanoTime();
                try {
                  ready.complete(Integer.parseInt(line.substring("READY ".length()).trim()));
                } catch (NumberFormatException e) {
                  ready.completeExceptionally(
                      new IllegalStateException("malformed READY line: " + line));
                }
              }
              if (stdoutRelay != null) {
                stdoutRelay.accept(line);
              }
            },
            () ->
                ready.completeExceptionally(
                    new IllegalStateException("the child's stdout ended before a READY line")));
    this.stderrReader =
        reader(
            "stderr",
            process.getErrorStream(),
            line -> {
              stderr.add(line);
              if (stderrRelay != null) {
                stderrRelay.accept(line);
              }
            },
            () -> {});
  }

  /**
   * Starts {@code command} with the given environment changes. Every inherited variable named
   * {@code BLACKBOX_API_KEY} or starting with {@code LASTCALL_} is removed first so that only what
   * the caller passes reaches the child.
   */
  public static ChildJvm start(
      List<String> command,
      Map<String, String> env,
      Consumer<String> stdoutRelay,
      Consumer<String> stderrRelay)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> childEnv = builder.environment();
    childEnv
        .keySet()
        .removeIf(name -> name.equals("BLACKBOX_API_KEY") || name.startsWith("LASTCALL_"));
    childEnv.putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    process.getOutputStream().close(); // the child reads nothing
    return new ChildJvm(process, stdoutRelay, stderrRelay);
  }

  /** The {@code java} launcher of the running JVM. */
  public static String currentJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .filter(command -> command.endsWith("java") || command.endsWith("java.exe"))
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The class path entries (directories or jars) holding the given classes, in order, without
   * repeats.
   */
  public static List<Path> codeSources(Class<?>... classes) {
    Set<Path> paths = new LinkedHashSet<>();
    for (Class<?> type : classes) {
      try {
        paths.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (URISyntaxException | NullPointerException e) {
        throw new IllegalStateException(
            "cannot tell where " + type.getName() + " was loaded from", e);
      }
    }
    return List.copyOf(paths);
  }

  /** {@link #codeSources} as a {@code -cp} value. */
  public static String classPath(Class<?>... classes) {
    return classPath(codeSources(classes));
  }

  /** Entries as a {@code -cp} value. */
  public static String classPath(List<Path> entries) {
    StringBuilder value = new StringBuilder();
    for (Path entry : entries) {
      value.append(value.length() == 0 ? "" : File.pathSeparator).append(entry);
    }
    return value.toString();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for the {@code READY <n>} line and returns n.
   *
   * @throws IllegalStateException if the child ended first or did not get ready in time, with its
   *     stderr in the message
   */
  public int awaitReady(Duration timeout) throws InterruptedException {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no READY line within " + timeout + describe(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage() + describe(), e.getCause());
    }
  }

  /**
   * Waits for a stdout line that starts with {@code prefix} and returns it.
   *
   * @throws IllegalStateException if none came within {@code timeout}, with the child's output
   */
  public String awaitStdoutLine(String prefix, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (stdout) {
      while (true) {
        for (String line : stdout) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(stdout, left);
      }
    }
    throw new IllegalStateException(
        "no stdout line starting with \"" + prefix + "\" within " + timeout + describe());
  }

  /** System.nanoTime() when the process was seen to exit, or 0 while it runs. */
  public long exitedAtNanos() {
    return exitedAtNanos;
  }

  /** System.currentTimeMillis() when the process was seen to exit, or 0 while it runs. */
  public long exitedAtMillis() {
    return exitedAtMillis;
  }

  /** System.nanoTime() when the READY line was read. */
  public long readyAtNanos() {
    return readyAtNanos;
  }

  /**
   * Sends a signal: {@code TERM} through {@link ProcessHandle#destroy()} (SIGTERM on Linux and
   * macOS), anything else ({@code INT}, {@code HUP}) through {@code kill -<SIG> <pid>}. Records the
   * time just before the signal is sent.
   *
   * <p>Not {@link Process#destroy()}: besides sending SIGTERM it closes our ends of the child's
   * stdout and stderr pipes, so whatever the child prints while it shuts down (the agent's summary
   * line) would be lost.
   */
  public void signal(String name) throws IOException, InterruptedException {
    if (name.equals("TERM")) {
      signalledAtNanos = System.nanoTime();
      if (!process.toHandle().destroy() && process.isAlive()) {
        throw new IOException("could not send SIGTERM to pid " + process.pid());
      }
      return;
    }
    ProcessBuilder kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true);
    signalledAtNanos = System.nanoTime();
    Process p = kill.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed: " + output);
    }
  }

  /** System.nanoTime() just before the last signal was sent, or 0. */
  public long signalledAtNanos() {
    return signalledAtNanos;
  }

  /**
   * Waits for the child to exit and for its output to be read to the end; returns the exit code.
   *
   * @throws TimeoutException if it is still running after {@code timeout}; it is then left running
   *     (close() kills it)
   */
  public int awaitExit(Duration timeout) throws InterruptedException, TimeoutException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException(
          "the child (pid " + process.pid() + ") still runs after " + timeout + describe());
    }
    stdoutReader.join(5_000);
    stderrReader.join(5_000);
    exited.join(); // exitedAtNanos is set
    return process.exitValue();
  }

  public List<String> stdout() {
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }

  public List<String> stderr() {
    synchronized (stderr) {
      return List.copyOf(stderr);
    }
  }

  /** stdout and stderr as text for failure messages. */
  public String describe() {
    return "\n--- child stdout ---\n"
        + String.join("\n", tail(stdout()))
        + "\n--- child stderr ---\n"
        + String.join("\n", tail(stderr()));
  }

  private static List<String> tail(List<String> lines) {
    return lines.size() <= 60 ? lines : lines.subList(lines.size() - 60, lines.size());
  }

  /** Kills the process if it still runs and waits briefly for its output threads. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      stdoutReader.join(5_000);
      stderrReader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Thread reader(String name, InputStream in, Consumer<String> onLine, Runnable onEnd) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  onLine.accept(line);
                }
              } catch (IOException ignored) {
                // the stream closes when the process is killed
              } finally {
                onEnd.run();
              }
            },
            "child-" + process.pid() + "-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
