package dev.lastcall.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A local BLACKBOX Tasks API server: the same endpoints, JSON fields, error bodies and status life
 * cycle as {@code https://cloud.blackbox.ai}, plus {@link Faults} for testing a shutdown path.
 *
 * <pre>{@code
 * try (Emulator emu = Emulator.builder().apiKey("bb_test").start()) {
 *     String id = emu.createTask("bb_test", "fix the flaky test");
 *     // point a client at emu.baseUrl() ...
 * }
 * }</pre>
 *
 * <p>Listens on 127.0.0.1 by default. Every thread it starts is a daemon, so a forgotten emulator
 * never keeps a JVM alive. Thread-safe.
 */
public final class Emulator implements AutoCloseable {

  /** Large enough that a burst of thousands of connects is queued, not refused. */
  private static final int BACKLOG = 8192;

  /**
   * Handler threads only read a small body and write a small answer; latency and hangs park the
   * exchange without a thread. So a bounded pool serves thousands of concurrent connections.
   */
  private static final int WORKER_THREADS = 256;

  static {
    // The JDK server reads these once, when its first instance is made. By default it keeps only
    // 200
    // idle keep-alive connections and closes the rest after their answer, which a client that
    // reuses them sees as a failed (non-idempotent) PATCH; and it leaves Nagle's algorithm on,
    // which can add 40 ms to an answer. Set them only if the application has not chosen.
    setIfAbsent("sun.net.httpserver.maxIdleConnections", "20000");
    setIfAbsent("sun.net.httpserver.nodelay", "true");
  }

  private final String host;
  private final HttpServer server;
  private final TaskStore store;
  private final ApiKeys keys;
  private final ApiHandler api;
  private final Responder responder;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService scheduler;
  private volatile Faults faults;
  private volatile boolean closed;

  private Emulator(Builder b) throws IOException {
    this.host = b.host;
    this.faults = b.faults;
    this.keys = new ApiKeys(b.apiKeys);
    this.store = new TaskStore(b.clock, new Timings(b.pendingFor, b.processingFor, b.savingFor));
    this.workers =
        new ThreadPoolExecutor(
            WORKER_THREADS,
            WORKER_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads("lastcall-emulator-worker"));
    workers.allowCoreThreadTimeOut(true); // an idle emulator holds no threads but the dispatcher
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("lastcall-emulator-latency"));
    this.responder = new Responder(scheduler, workers);
    Random random = b.seed == null ? new Random() : new Random(b.seed);
    this.api = new ApiHandler(store, keys, () -> this.faults, random, responder);
    AdminHandler admin = new AdminHandler(this, store);

    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(b.host), b.port);
    try {
      this.server = HttpServer.create(address, BACKLOG);
    } catch (IOException e) {
      workers.shutdownNow();
      scheduler.shutdownNow();
      throw e;
    }
    server.setExecutor(workers);
    server.createContext("/", exchange -> route(exchange, admin));
    startAsDaemon(server);
  }

  /** A builder with the defaults: 127.0.0.1, a free port, any {@code bb_} key, no faults. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://host:port}, no trailing slash. */
  public String baseUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port();
  }

  /** The port listened on; the one picked when the builder asked for 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The faults in force. */
  public Faults faults() {
    return faults;
  }

  /** Replaces the faults; requests that arrive from now on see the new ones. */
  public void faults(Faults faults) {
    this.faults = Objects.requireNonNull(faults, "faults");
  }

  /**
   * Creates a task in-process, as {@code POST /api/tasks} with only a prompt would.
   *
   * @param apiKey the owner; must be a key the emulator accepts
   * @return the new task's id
   * @throws IllegalArgumentException if the key is not accepted or the prompt is blank
   */
  public String createTask(String apiKey, String prompt) {
    String userId =
        keys.userForKey(apiKey)
            .orElseThrow(
                () -> new IllegalArgumentException("API key not accepted by this emulator"));
    return store.create(userId, NewTask.ofPrompt(prompt)).id;
  }

  /** A snapshot of one task, or empty if there is none with this id. */
  public Optional<TaskView> task(String id) {
    Instant now = store.now();
    return store.find(id).map(r -> r.view(now));
  }

  /** Snapshots of every task, oldest first. */
  public List<TaskView> tasks() {
    Instant now = store.now();
    return store.all().stream().map(r -> r.view(now)).collect(Collectors.toUnmodifiableList());
  }

  /** How many tasks are in each status now, e.g. {@code {"processing": 2, "stopped": 300}}. */
  public Map<String, Long> countsByStatus() {
    return store.countsByStatus();
  }

  /** How many {@code /api} requests arrived, whatever their answer (hung ones included). */
  public long requestCount() {
    return api.requestCount();
  }

  /**
   * Test hook: pins a task to {@code status} (e.g. "completed" to finish it by itself, or
   * "processing" to make it stoppable at once). A pinned task no longer follows the clock; a pinned
   * "processing" or "saving" task can still be stopped. Any non-blank status is taken, so a client
   * can also be shown a value it does not know.
   *
   * @throws IllegalArgumentException if there is no such task or the status is blank
   */
  public void forceStatus(String id, String status) {
    if (status == null || status.isBlank()) {
      throw new IllegalArgumentException("status must not be blank");
    }
    TaskRecord r = store.find(id).orElseThrow(() -> new IllegalArgumentException("no task " + id));
    r.force(status, store.now());
  }

  /**
   * Stops listening, closes every connection and releases hung requests (their clients see the
   * connection close). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    responder.closeAll();
    scheduler.shutdownNow();
    server.stop(0);
    workers.shutdownNow();
  }

  private void route(HttpExchange exchange, AdminHandler admin) {
    try {
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/api") || path.startsWith("/api/")) {
        api.handle(exchange);
      } else if (path.startsWith("/_emulator/")) {
        admin.handle(exchange);
      } else {
        Responder.send(exchange, HttpAnswer.notFound());
      }
    } catch (IOException | RuntimeException e) {
      // The client went away mid-request, or a bug: either way drop this connection only.
      exchange.close();
    }
  }

  /**
   * The JDK server's dispatcher thread inherits daemon status from the thread that starts it, so
   * start it from a daemon thread.
   */
  private static void startAsDaemon(HttpServer server) throws IOException {
    Thread starter = new Thread(server::start, "lastcall-emulator-start");
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop(0);
      throw new IOException("interrupted while starting", e);
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  /** Configures and starts an {@link Emulator}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private final Set<String> apiKeys = new LinkedHashSet<>();
    private Duration pendingFor = Timings.DEFAULT.pending();
    private Duration processingFor = Timings.DEFAULT.processing();
    private Duration savingFor = Timings.DEFAULT.saving();
    private Faults faults = Faults.none();
    private Long seed;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Address to listen on; default 127.0.0.1 (loopback only). */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host;
      return this;
    }

    /** Port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Accepts this key (repeatable). With none named, any key starting with {@code bb_} is
     * accepted. Each key is a separate user who sees only its own tasks.
     */
    public Builder apiKey(String key) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("API key must not be blank");
      }
      apiKeys.add(key);
      return this;
    }

    /** How long a new task stays pending (cannot be stopped yet); default 200 ms. */
    public Builder pendingFor(Duration d) {
      this.pendingFor = checked("pendingFor", d);
      return this;
    }

    /** How long a task processes (progress 0..90); default 60 s. */
    public Builder processingFor(Duration d) {
      this.processingFor = checked("processingFor", d);
      return this;
    }

    /** How long a task saves before it is completed; default 2 s. */
    public Builder savingFor(Duration d) {
      this.savingFor = checked("savingFor", d);
      return this;
    }

    /** Faults in force from the start; default {@link Faults#none()}. */
    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** Seeds the random draws of the fault rates, so that a sequential run repeats exactly. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** For tests of the life cycle: the clock tasks age by. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Binds and starts serving. */
    public Emulator start() throws IOException {
      return new Emulator(this);
    }

    private static Duration checked(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + d);
      }
      return d;
    }
  }
}
