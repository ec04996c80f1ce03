package dev.lastcall.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

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
 * <p>Listens on 127.0.0.1 by default, plain HTTP/1.1. With {@link Builder#tls()} (or {@link
 * Builder#tlsCertificate(String, String)}) it serves HTTPS instead, and ALPN offers {@code h2} and
 * {@code http/1.1} unless {@link Builder#http2(boolean) http2(false)}. {@link #connectionCounts()}
 * and {@link #streamCounts()} tell how many connections and HTTP/2 streams clients used, so a test
 * can assert reuse. Every thread it starts is a daemon, so a forgotten emulator never keeps a JVM
 * alive. Thread-safe.
 */
public final class Emulator implements AutoCloseable {

  static {
    // Both before any Jetty class is initialised: they are read once, then.
    QuietLogging.apply();
    FastJettyStart.apply();
  }

  private final String host;
  private final boolean tls;
  private final String caPem;
  private final Path caPath;
  private final Server server;
  private final ServerConnector connector;
  private final TransportCounts transportCounts = new TransportCounts();
  private final TaskStore store;
  private final ApiKeys keys;
  private final TaskStore runs;
  private final ApiKeys agentKeys;
  private final ApiHandler api;
  private final Responder responder;
  private final ScheduledExecutorService scheduler;
  private volatile Faults faults;
  private volatile boolean closed;

  private Emulator(Builder b, ServerIdentity identity) throws IOException {
    this.host = b.host;
    this.faults = b.faults;
    this.tls = identity != null;
    this.caPem = identity == null ? null : identity.caPem();
    this.keys = new ApiKeys(ApiKeys.CLOUD_PREFIX, b.apiKeys);
    this.agentKeys = new ApiKeys(ApiKeys.V1_PREFIX, b.agentApiKeys);
    Timings timings = new Timings(b.pendingFor, b.processingFor, b.savingFor);
    this.store = new TaskStore(b.clock, timings, TaskStore::cloudId);
    this.runs = new TaskStore(b.clock, timings, TaskStore::runId);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("lastcall-emulator-latency"));
    Random random = b.seed == null ? new Random() : new Random(b.seed);
    AdminHandler admin = new AdminHandler(this);
    QueuedThreadPool threads = JettyServer.threadPool();
    this.responder = new Responder(scheduler, threads);
    this.api =
        new ApiHandler(
            new CloudTasks(store, keys),
            new AgentRuns(runs, agentKeys),
            store::now,
            () -> this.faults,
            random,
            responder);
    RequestRouter router = new RequestRouter(api, admin, transportCounts);
    this.server =
        JettyServer.create(
            new JettyServer.Transport(b.host, b.port, identity, b.http2),
            threads,
            router,
            transportCounts);
    this.connector = (ServerConnector) server.getConnectors()[0];
    try {
      this.caPath = writeCa(caPem, b.tlsCaOut);
      server.start();
    } catch (Exception e) {
      scheduler.shutdownNow();
      stopQuietly();
      throw asIOException(e);
    }
  }

  /** A builder with the defaults: 127.0.0.1, a free port, any {@code bb_} key, no faults. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://host:port}, or {@code https://host:port} with TLS; no trailing slash. */
  public String baseUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (tls ? "https://" : "http://") + h + ":" + port();
  }

  /**
   * The v1 Agent API's base URL here: {@code baseUrl() + "/api/v1"}, what a client configures as
   * {@code https://agent.blackbox.ai/api/v1}.
   */
  public String agentBaseUrl() {
    return baseUrl() + "/api/v1";
  }

  /** The port listened on; the one picked when the builder asked for 0. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Whether it serves HTTPS. */
  public boolean isTls() {
    return tls;
  }

  /**
   * The PEM of the CA that signed the certificate it generated at start ({@link Builder#tls()}),
   * for a client to trust; empty when it serves a given certificate or plain HTTP.
   */
  public Optional<String> caCertificatePem() {
    return Optional.ofNullable(caPem);
  }

  /**
   * Where {@link #caCertificatePem()} was written ({@link Builder#tlsCaOut(Path)}), if anywhere.
   */
  public Optional<Path> caCertificatePath() {
    return Optional.ofNullable(caPath);
  }

  /**
   * Connections accepted since start, by the protocol they speak: {@code {"http/1.1": n, "h2": m}},
   * both keys always present. A TLS connection counts once, as the protocol ALPN chose.
   */
  public Map<String, Long> connectionCounts() {
    return transportCounts.accepted();
  }

  /** Connections open now, by protocol, the same keys as {@link #connectionCounts()}. */
  public Map<String, Long> openConnectionCounts() {
    return transportCounts.open();
  }

  /**
   * HTTP/2 streams since start, {@code {"h2": k}}: one per request over h2, to any endpoint, the
   * admin ones included.
   */
  public Map<String, Long> streamCounts() {
    return transportCounts.streams();
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

  /**
   * Creates a v1 run in-process, as {@code POST /api/v1/tasks} with only a prompt would.
   *
   * @param agentApiKey the owner; must be an {@code sk-} key the emulator accepts
   * @return the new run's id ({@code runId}, equal to its {@code taskId})
   * @throws IllegalArgumentException if the key is not accepted or the prompt is blank
   */
  public String createRun(String agentApiKey, String prompt) {
    String userId =
        agentKeys
            .userForKey(agentApiKey)
            .orElseThrow(
                () -> new IllegalArgumentException("v1 API key not accepted by this emulator"));
    return runs.create(userId, NewTask.ofPrompt(prompt)).id;
  }

  /**
   * A snapshot of one cloud task or v1 run, or empty if there is none with this id; {@link
   * TaskView#family()} says which.
   */
  public Optional<TaskView> task(String id) {
    Instant now = store.now();
    return store
        .find(id)
        .map(r -> r.view(now, TaskView.CLOUD))
        .or(() -> runs.find(id).map(r -> r.view(now, TaskView.V1)));
  }

  /** Snapshots of every cloud task, then every v1 run, each oldest first. */
  public List<TaskView> tasks() {
    Instant now = store.now();
    return Stream.concat(
            store.all().stream().map(r -> r.view(now, TaskView.CLOUD)),
            runs.all().stream().map(r -> r.view(now, TaskView.V1)))
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * How many tasks and runs are in each status now, each named as its family names it, e.g. {@code
   * {"processing": 2, "stopped": 300, "cancelled": 4}}.
   */
  public Map<String, Long> countsByStatus() {
    Map<String, Long> counts = new TreeMap<>(store.countsByStatus());
    runs.countsByStatus().forEach((status, n) -> counts.merge(RunStatus.of(status), n, Long::sum));
    return Collections.unmodifiableMap(counts);
  }

  /** How many {@code /api} requests arrived, whatever their answer (hung ones included). */
  public long requestCount() {
    return api.requestCount();
  }

  /**
   * How many requests were accepted and are waiting for an answer now: hung ones, and delayed ones
   * whose latency has not passed. Tests wait on this rather than on {@link #requestCount()}, which
   * counts a request before it is parked.
   */
  public int unansweredCount() {
    return responder.parkedCount();
  }

  /**
   * Test hook: pins a task to {@code status} (e.g. "completed" to finish it by itself, or
   * "processing" to make it stoppable at once). A pinned task no longer follows the clock; a pinned
   * "processing" or "saving" task can still be stopped. Any non-blank status is taken, so a client
   * can also be shown a value it does not know. A v1 run takes its family's names ("running" is
   * stoppable, "interrupted" is finished).
   *
   * @throws IllegalArgumentException if there is no such task or the status is blank
   */
  public void forceStatus(String id, String status) {
    if (status == null || status.isBlank()) {
      throw new IllegalArgumentException("status must not be blank");
    }
    Optional<TaskRecord> task = store.find(id);
    if (task.isPresent()) {
      task.get().force(status, TaskStatus.isDone(status), store.now());
      return;
    }
    TaskRecord run =
        runs.find(id).orElseThrow(() -> new IllegalArgumentException("no task or run " + id));
    run.force(RunStatus.toRecord(status), RunStatus.isDone(status), store.now());
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
    // Stop accepting first: a client that retries on a connection we close (the JDK's HttpClient
    // retries an idempotent request once) must find the port closed, not be accepted afterwards
    // onto a connection nobody would ever answer or close.
    connector.close();
    responder.closeAll();
    // Every connection, not only those of parked requests: one whose request is still on its way
    // to being parked must not keep its client waiting on a stopped server.
    for (EndPoint endPoint : connector.getConnectedEndPoints()) {
      endPoint.close();
    }
    scheduler.shutdownNow();
    stopQuietly();
  }

  private void stopQuietly() {
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping closes sockets; a failure to close one leaves nothing for the caller to do.
    }
  }

  private static Path writeCa(String pem, Path file) throws IOException {
    if (pem == null || file == null) {
      return null;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
    return file;
  }

  private static IOException asIOException(Exception e) {
    if (e instanceof IOException) {
      return (IOException) e;
    }
    if (e instanceof UncheckedIOException) {
      return ((UncheckedIOException) e).getCause();
    }
    return new IOException("cannot start: " + e.getMessage(), e);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Configures and starts an {@link Emulator}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private final Set<String> apiKeys = new LinkedHashSet<>();
    private final Set<String> agentApiKeys = new LinkedHashSet<>();
    private Duration pendingFor = Timings.DEFAULT.pending();
    private Duration processingFor = Timings.DEFAULT.processing();
    private Duration savingFor = Timings.DEFAULT.saving();
    private Faults faults = Faults.none();
    private Long seed;
    private Clock clock = Clock.systemUTC();
    private boolean generateCertificate;
    private String certificateChainPem;
    private String privateKeyPem;
    private Path tlsCaOut;
    private boolean http2 = true;

    private Builder() {}

    /**
     * Serves HTTPS with a certificate made at start for localhost, 127.0.0.1 and ::1, signed by a
     * CA made at start too: trust {@link Emulator#caCertificatePem()}.
     */
    public Builder tls() {
      this.generateCertificate = true;
      this.certificateChainPem = null;
      this.privateKeyPem = null;
      return this;
    }

    /**
     * Serves HTTPS with this certificate chain (PEM, the server's certificate first) and private
     * key (PEM, PKCS#8 or OpenSSL's EC/RSA form, unencrypted).
     */
    public Builder tlsCertificate(String certificateChainPem, String privateKeyPem) {
      this.certificateChainPem = Objects.requireNonNull(certificateChainPem, "certificateChainPem");
      this.privateKeyPem = Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      this.generateCertificate = false;
      return this;
    }

    /** As {@link #tlsCertificate(String, String)}, read from these files when started. */
    public Builder tlsCertificate(Path certificateChainPem, Path privateKeyPem) throws IOException {
      return tlsCertificate(
          Files.readString(certificateChainPem, StandardCharsets.US_ASCII),
          Files.readString(privateKeyPem, StandardCharsets.US_ASCII));
    }

    /** With {@link #tls()}: also writes the CA certificate as PEM to this file at start. */
    public Builder tlsCaOut(Path file) {
      this.tlsCaOut = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Whether ALPN offers {@code h2} beside {@code http/1.1} over TLS; default true. Plain HTTP is
     * always HTTP/1.1 only.
     */
    public Builder http2(boolean enabled) {
      this.http2 = enabled;
      return this;
    }

    boolean generatesCertificate() {
      return generateCertificate;
    }

    boolean writesCa() {
      return tlsCaOut != null;
    }

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

    /**
     * Accepts this v1 Agent API key ({@code /api/v1}); repeatable. Without any, every key that
     * starts with {@code sk-} is accepted, each as its own user.
     */
    public Builder agentApiKey(String key) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("v1 API key must not be blank");
      }
      agentApiKeys.add(key);
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

    /**
     * Binds and starts serving.
     *
     * @throws IOException if it cannot listen or write the CA file
     * @throws IllegalArgumentException if a given certificate or key is not usable PEM
     */
    public Emulator start() throws IOException {
      ServerIdentity identity = null;
      if (generateCertificate) {
        identity = ServerIdentity.generated();
      } else if (certificateChainPem != null) {
        identity = ServerIdentity.of(certificateChainPem, privateKeyPem);
      }
      return new Emulator(this, identity);
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
