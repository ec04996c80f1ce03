package dev.lastcall.client;

import dev.lastcall.CancelReport;
import dev.lastcall.Family;
import dev.lastcall.Outcome;
import dev.lastcall.TaskIds;
import dev.lastcall.TaskRef;
import dev.lastcall.client.cancel.BulkCancel;
import dev.lastcall.client.cancel.BulkCancellation;
import dev.lastcall.client.internal.ApiFamilies;
import dev.lastcall.client.internal.ConnectionEvents;
import dev.lastcall.client.internal.JsonBodies;
import dev.lastcall.client.internal.RetryAfter;
import dev.lastcall.client.internal.TaskRequests;
import dev.lastcall.client.proxy.ProxyAuthentication;
import dev.lastcall.client.proxy.ProxyChoice;
import dev.lastcall.client.proxy.ProxySetting;
import dev.lastcall.client.tls.CaCertificates;
import dev.lastcall.client.tls.ClientTrust;
import dev.lastcall.client.tls.TlsFailure;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A client for the BLACKBOX Tasks API: single calls ({@link #cancel}, {@link #status}, {@link
 * #get}) and the parallel, deadline-bounded cancel of many tasks ({@link #cancelAll}, {@link
 * #startCancelAll}).
 *
 * <pre>{@code
 * TasksClient client = TasksClient.builder().apiKey(key).build();
 * CancelReport report = client.cancelAll(ids, Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>Every thread this client starts is a daemon, so it never keeps a JVM alive. The bulk cancel
 * writes no logs and prints nothing: it is meant to run inside a shutdown hook. The API key never
 * appears in {@link #toString()}, exception messages or reports.
 *
 * <p>Thread safe. Share one instance; {@link #close()} it when done.
 */
public final class TasksClient implements Closeable {
  private static final Duration MAX_CONNECT_READ_WRITE = Duration.ofSeconds(10);

  /**
   * HTTP/2 PING every 20 s. Short enough that a connection a middlebox dropped silently (NAT and
   * load balancers commonly forget a flow after 60 s idle) is noticed within 40 s, failed and
   * replaced by the next call, rather than found dead by a cancel at shutdown, which would lose a
   * whole timeout slice to it; and the traffic keeps such a flow alive meanwhile. Long enough to be
   * nothing to a server: 17 bytes each way per connection every 20 s.
   */
  static final Duration PING_INTERVAL = Duration.ofSeconds(20);

  /**
   * How long an idle connection stays pooled: longer than servers keep one open in practice, so the
   * warm connection lasts as long as the server (and our pings) let it while tasks are registered.
   * Whoever knows that none are calls {@link #releaseIdleConnections()}.
   */
  static final Duration IDLE_KEEP_ALIVE = Duration.ofHours(1);

  private final ApiFamilies families;
  private final HttpUrl baseUrl;
  private final HttpUrl agentBaseUrl;
  private final int maxConcurrency;
  private final Duration callTimeout;
  private final ExecutorService callThreads;
  private final ScheduledThreadPoolExecutor scheduler;
  private final OkHttpClient http;
  private final OkHttpClient bulkHttp;
  private final ConnectionEvents connections;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ProxyChoice proxyChoice;

  /**
   * {@code transport}, if not null, adjusts OkHttp's builder last (tests' network interceptors).
   */
  private TasksClient(Builder builder, Consumer<OkHttpClient.Builder> transport) {
    this.baseUrl = Builder.checkedBaseUrl(builder.baseUrl, builder.allowInsecure);
    this.agentBaseUrl = Builder.checkedBaseUrl(builder.agentBaseUrl, builder.allowInsecure);
    this.families =
        new ApiFamilies(
            builder.apiKey == null ? null : new TaskRequests(baseUrl, builder.apiKey),
            builder.agentApiKey == null
                ? null
                : new TaskRequests(Family.V1, agentBaseUrl, builder.agentApiKey));
    this.maxConcurrency = builder.maxConcurrency;
    this.callTimeout = builder.callTimeout;
    // Like OkHttp's default executor (threads on demand, idle ones leave after a minute), but
    // daemon threads.
    this.callThreads =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new DaemonThreads("lastcall-http"));
    this.scheduler = new ScheduledThreadPoolExecutor(1, new DaemonThreads("lastcall-retry"));
    this.scheduler.setRemoveOnCancelPolicy(
        true); // Cancelled retries of 10,000 tasks leave no garbage queued.

    Dispatcher dispatcher = new Dispatcher(callThreads);
    // OkHttp's defaults (64 in all, 5 per host) would leave most tasks queued at the deadline.
    dispatcher.setMaxRequests(maxConcurrency);
    dispatcher.setMaxRequestsPerHost(maxConcurrency);
    Duration perStep =
        callTimeout.compareTo(MAX_CONNECT_READ_WRITE) < 0 ? callTimeout : MAX_CONNECT_READ_WRITE;
    this.connections = new ConnectionEvents(dispatcher, maxConcurrency);
    OkHttpClient.Builder http =
        builder
            .withTrustAndProxy(new OkHttpClient.Builder())
            .dispatcher(dispatcher)
            .connectionPool(
                new ConnectionPool(
                    maxConcurrency, IDLE_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS))
            .pingInterval(PING_INTERVAL)
            .eventListener(connections)
            .dns(builder.dns)
            .callTimeout(callTimeout)
            .connectTimeout(perStep)
            .readTimeout(perStep)
            .writeTimeout(perStep)
            // The API does not redirect; following one could send the key somewhere unexpected.
            .followRedirects(false)
            .followSslRedirects(false);
    if (transport != null) {
      transport.accept(http);
    }
    // One OkHttpClient, and every other derived from it with newBuilder(): one pool, one
    // dispatcher, one SSLContext, so TLS sessions are resumed when a new connection is needed.
    this.http = http.build();
    this.bulkHttp = BulkCancellation.httpClient(this.http);
    this.proxyChoice = builder.proxyChoice;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The cloud Tasks API's base URL, for example {@code https://cloud.blackbox.ai/}. */
  public HttpUrl baseUrl() {
    return baseUrl;
  }

  /** The v1 Agent API's base URL, for example {@code https://agent.blackbox.ai/api/v1/}. */
  public HttpUrl agentBaseUrl() {
    return agentBaseUrl;
  }

  /** True if this client has an API key for {@code family}, so its tasks can be cancelled. */
  public boolean hasKey(Family family) {
    return families.of(family) != null;
  }

  /**
   * The proxy this client uses and where that came from (see {@link ProxyChoice}); its {@code
   * problem()} is a line to print when the environment's proxy was refused. Holds no secret.
   */
  public ProxyChoice proxyChoice() {
    return proxyChoice;
  }

  /** How many bulk-cancel requests may be in flight at once. */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /** The time limit for each single call. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /**
   * Stops a task: {@code PATCH /api/tasks/{taskId}} with {@code {"action":"stop"}}. Stopping is
   * irreversible.
   *
   * @return the stopped task as the server describes it
   * @throws TaskNotStoppableException if the task is not in progress: finished, <em>or not started
   *     yet</em> ({@code pending}); only {@link #status} can tell which
   * @throws UnauthorizedException, TaskNotFoundException, RateLimitedException,
   *     ServerErrorException, MalformedResponseException, TasksApiException for other answers
   * @throws IOException if the server could not be reached or did not answer within the call
   *     timeout
   * @throws IllegalArgumentException if {@code taskId} is not a valid task id
   */
  public Task cancel(String taskId) throws IOException {
    Request request = cloud().stop(TaskIds.requireValid(taskId));
    return execute(request, true, body -> JsonBodies.taskEnvelope(JsonBodies.read(body)));
  }

  /**
   * The task's status: {@code GET /api/tasks/{taskId}/status}, the call made for polling.
   *
   * @throws IOException as for {@link #cancel}, with the same typed exceptions
   * @throws IllegalArgumentException if {@code taskId} is not a valid task id
   */
  public TaskStatus status(String taskId) throws IOException {
    Request request = cloud().status(TaskIds.requireValid(taskId));
    return execute(request, false, body -> JsonBodies.status(JsonBodies.read(body), taskId));
  }

  /**
   * The status of a task of either family: for a cloud task as {@link #status(String)}; for a v1
   * run {@code GET {agentBaseUrl}/tasks/{runId}/status}, whose {@code runId}, {@code status},
   * {@code progress}, {@code error}, {@code startedAt} (as {@code createdAt}) and {@code
   * completedAt} fill the answer; {@code isDone} is true for {@code completed}, {@code failed},
   * {@code cancelled} and {@code interrupted}. For a v1 run, 403 (another account's run) is a
   * {@link TaskNotFoundException} too.
   *
   * @throws IllegalStateException if this client has no API key for the task's family
   */
  public TaskStatus status(TaskRef task) throws IOException {
    if (task.family() == Family.CLOUD) {
      return status(task.id());
    }
    TaskRequests v1 = families.of(Family.V1);
    if (v1 == null) {
      throw new IllegalStateException(ApiFamilies.missingKey(Family.V1));
    }
    return execute(
        v1.status(task.id()),
        false,
        body -> JsonBodies.runStatus(JsonBodies.read(body), task.id()));
  }

  private TaskRequests cloud() {
    TaskRequests cloud = families.of(Family.CLOUD);
    if (cloud == null) {
      throw new IllegalStateException(ApiFamilies.missingKey(Family.CLOUD));
    }
    return cloud;
  }

  /**
   * The task: {@code GET /api/tasks/{taskId}}.
   *
   * @throws IOException as for {@link #cancel}, with the same typed exceptions
   * @throws IllegalArgumentException if {@code taskId} is not a valid task id
   */
  public Task get(String taskId) throws IOException {
    Request request = cloud().get(TaskIds.requireValid(taskId));
    return execute(request, false, body -> JsonBodies.taskEnvelope(JsonBodies.read(body)));
  }

  /**
   * Cancels every task in {@code ids} in parallel and returns within about {@code deadline}, never
   * waiting on the network beyond it. Equivalent to {@link #startCancelAll}, {@code submit} for
   * each id, {@code awaitSettled()} and {@code finish()}.
   *
   * <p>For each task: a 200 to the stop is {@link Outcome#STOPPED}. A 400 is followed by a status
   * check: {@code stopped} is STOPPED, another finished status {@link Outcome#ALREADY_DONE}, and a
   * task not finished yet (for example {@code pending}) is stopped again after a short wait (50 ms
   * growing to 1 s). 401 and 404 settle at once. 429 waits for {@code Retry-After} (or backs off),
   * settling {@link Outcome#TIMED_OUT} at once if that would pass the deadline. 5xx and I/O
   * failures are retried with jittered exponential backoff (100 ms doubling to 2 s); malformed
   * status bodies too, up to 3 in a row, then {@link Outcome#FAILED}. Other 4xx answers are FAILED
   * at once, and so are TLS failures no retry can mend (a certificate that is not trusted, for
   * another host or expired; a plain-HTTP server on an https URL), with a detail in a user's words
   * from {@link TlsFailure}. Whatever is unsettled at the deadline is TIMED_OUT, including a TLS
   * handshake the server never completes.
   *
   * @param ids task ids; duplicates are cancelled once and reported once
   * @param deadline the total time allowed, counted from now
   * @throws IllegalArgumentException if an id is invalid (checked before any request is made) or
   *     the deadline is negative
   * @throws IllegalStateException if this client is closed
   */
  public CancelReport cancelAll(Collection<String> ids, Duration deadline) {
    List<String> checked = new ArrayList<>(Objects.requireNonNull(ids, "ids"));
    for (String id : checked) {
      TaskIds.requireValidKey(id);
    }
    BulkCancel run = startCancelAll(deadline);
    for (String id : checked) {
      run.submit(id);
    }
    run.awaitSettled();
    return run.finish();
  }

  /**
   * Starts a bulk cancel that ids are fed to one at a time; the deadline clock starts now. See
   * {@link #cancelAll} for what happens to each task.
   *
   * @throws IllegalArgumentException if the deadline is negative
   * @throws IllegalStateException if this client is closed
   */
  public BulkCancel startCancelAll(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative()) {
      throw new IllegalArgumentException("deadline must not be negative but was " + deadline);
    }
    checkOpen();
    return new BulkCancellation(bulkHttp, families, scheduler, connections, deadline);
  }

  /** Sockets that refuse to connect: warm-up must never reach the network. */
  private static final class NoConnectionSocketFactory extends SocketFactory {
    @Override
    public Socket createSocket() {
      return new Socket() {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
          throw new ConnectException("warm-up makes no connections");
        }
      };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      throw new ConnectException("warm-up makes no connections");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      throw new ConnectException("warm-up makes no connections");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      throw new ConnectException("warm-up makes no connections");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
        throws IOException {
      throw new ConnectException("warm-up makes no connections");
    }
  }

  /**
   * Loads and initialises the classes the bulk cancel uses (OkHttp's call path, Jackson, the report
   * types) and starts its threads, without touching the network: a short bulk cancel runs against
   * canned answers, and one call fails at a DNS lookup that refuses to look anything up. Call it
   * early, on a background thread, so that a cancel from a shutdown hook loads nothing new (class
   * loaders may already be closing then). Takes a few hundred milliseconds. Best effort: never
   * throws; does nothing once closed.
   */
  public void warmUp() {
    if (closed.get()) {
      return;
    }
    try {
      TaskRequests requests = families.warmUp();
      WarmUp.run(bulkHttp, requests, scheduler, connections);
      // The connect path up to the socket, through a synchronous call too. Neither a DNS lookup
      // nor a connection may happen: the base URL can be an IP literal, which skips DNS, so the
      // socket itself refuses to connect.
      OkHttpClient noLookups =
          bulkHttp
              .newBuilder()
              .dns(
                  host -> {
                    throw new UnknownHostException("warm-up makes no lookups");
                  })
              .socketFactory(new NoConnectionSocketFactory())
              .build();
      try (Response response = noLookups.newCall(requests.status("warm-up")).execute()) {
        response.code();
      } catch (IOException expected) {
        // The point was the path taken, not the answer.
      }
      WarmUp.loadConnectionClasses();
      RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", Instant.now());
      new TasksApiException("", 0, null).statusCode();
      Class.forName(UnauthorizedException.class.getName());
      Class.forName(TaskNotFoundException.class.getName());
      Class.forName(TaskNotStoppableException.class.getName());
      Class.forName(RateLimitedException.class.getName());
      Class.forName(ServerErrorException.class.getName());
      Class.forName(MalformedResponseException.class.getName());
    } catch (RuntimeException | ClassNotFoundException | LinkageError ignored) {
      // Best effort: a failed warm-up only means a slower or riskier shutdown, never a failure.
    }
  }

  /**
   * Closes the connections no call is using; the next call opens a new one. For when there will be
   * nothing to do for a while: an idle HTTP/2 connection otherwise stays pooled (and pinged) for up
   * to an hour. Never waits on the network.
   */
  public void releaseIdleConnections() {
    http.connectionPool().evictAll();
  }

  /**
   * The connections this client opened that are still open, in use or idle. Over HTTP/2 one carries
   * many calls.
   */
  public int openConnectionCount() {
    return connections.openCount();
  }

  /**
   * Cancels every call in flight and closes every connection, in use or idle, now; the client stays
   * usable (a later call opens a new connection). For the end of a shutdown hook, once its report
   * is out: a thread blocked reading an open connection sits in native code, and HotSpot's exit
   * waits up to 300 ms for such threads. Sends at most a TLS close_notify per connection; never
   * waits for an answer.
   */
  public void closeConnections() {
    http.dispatcher().cancelAll();
    http.connectionPool().evictAll();
    connections.closeAll();
  }

  /**
   * Cancels calls in flight, stops this client's threads and closes its connections, in use or
   * idle. Bulk cancels still running settle {@link Outcome#FAILED} or {@link Outcome#TIMED_OUT}.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    http.dispatcher().cancelAll();
    scheduler.shutdownNow();
    callThreads.shutdown(); // Not shutdownNow: cancelled calls still need a thread to report back.
    http.connectionPool().evictAll();
    connections.closeAll();
  }

  @Override
  public String toString() {
    return "TasksClient{baseUrl="
        + baseUrl
        + ", agentBaseUrl="
        + agentBaseUrl
        + ", maxConcurrency="
        + maxConcurrency
        + ", callTimeout="
        + callTimeout
        + "}";
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("TasksClient is closed");
    }
  }

  /** Reads a success body into a value, or says why it cannot. */
  private interface BodyReader<T> {
    T read(okhttp3.ResponseBody body) throws IOException, JsonBodies.Malformed;
  }

  /**
   * Runs one call, waiting at most the call timeout on this thread's own clock: OkHttp's call
   * timeout cancels the call, but a thread blocked in a DNS lookup would stay blocked.
   */
  private <T> T execute(Request request, boolean isStop, BodyReader<T> reader) throws IOException {
    checkOpen();
    CompletableFuture<T> result = new CompletableFuture<>();
    Call call = http.newCall(request);
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call call, IOException e) {
            result.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call call, Response response) {
            try (response) {
              result.complete(read(request, response, isStop, reader));
            } catch (Throwable t) {
              result.completeExceptionally(t);
            }
          }
        });
    try {
      return result.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel();
      throw new InterruptedIOException(
          TaskRequests.describe(request) + ": no answer within " + callTimeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      call.cancel();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(TaskRequests.describe(request) + ": interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw inUsersWords(request, (IOException) cause);
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IOException(TaskRequests.describe(request) + ": failed", cause);
    }
  }

  /**
   * A TLS failure no retry can mend, said as the bulk cancel says it ({@link TlsFailure}), e.g.
   * "certificate for localhost is not trusted ... add the CA with caFile"; still an {@link
   * SSLException} for callers that catch one. Any other failure unchanged.
   */
  private static IOException inUsersWords(Request request, IOException failure) {
    String tls = TlsFailure.describe(failure, request.url());
    if (tls == null) {
      return failure;
    }
    String message = TaskRequests.describe(request) + ": " + tls;
    return failure instanceof SSLException
        ? new SSLException(message, failure)
        : new IOException(message, failure);
  }

  private boolean isV1(Request request) {
    TaskRequests v1 = families.of(Family.V1);
    return v1 != null && request.url().toString().startsWith(v1.baseUrl().toString());
  }

  private <T> T read(Request request, Response response, boolean isStop, BodyReader<T> reader)
      throws IOException {
    int code = response.code();
    String where = TaskRequests.describe(request) + ": HTTP " + code;
    if (code >= 200 && code < 300) {
      try {
        return reader.read(response.body());
      } catch (JsonBodies.Malformed e) {
        throw new MalformedResponseException(where + ", " + e.getMessage(), code);
      }
    }
    String error = families.safe(JsonBodies.errorText(response.body()));
    String message = error == null ? where : where + " " + error;
    if (code == 401) {
      throw new UnauthorizedException(message, code, error);
    } else if (code == 404 || code == 403 && isV1(request)) {
      throw new TaskNotFoundException(message, code, error);
    } else if (code == 400 && isStop) {
      throw new TaskNotStoppableException(message, code, error);
    } else if (code == 429) {
      throw new RateLimitedException(
          message, error, RetryAfter.parse(response.header("Retry-After"), Instant.now()));
    } else if (code >= 500) {
      throw new ServerErrorException(message, code, error);
    }
    throw new TasksApiException(message, code, error);
  }

  /** Builds a {@link TasksClient}. Every setter checks its value at once. */
  public static final class Builder {
    private String baseUrl = ClientDefaults.BASE_URL;
    private boolean allowInsecure;
    private String apiKey;
    private String agentBaseUrl = ClientDefaults.AGENT_BASE_URL;
    private String agentApiKey;
    private int maxConcurrency = ClientDefaults.CONCURRENCY;
    private Duration callTimeout = Duration.ofSeconds(10);
    private Dns dns = Dns.SYSTEM;
    private List<X509Certificate> addedTrust = List.of();
    private ProxySetting proxy;
    private Map<String, String> proxyEnvironment;
    private ProxyChoice proxyChoice; // Decided by build().

    private Builder() {}

    /**
     * The API's base URL; default {@code https://cloud.blackbox.ai}. May carry a path prefix. The
     * rule is {@link BaseUrl}'s; plain http to a non-loopback host is refused by {@link #build}
     * unless {@link #allowInsecure} is set.
     *
     * @throws IllegalArgumentException if it is no acceptable URL (the message does not repeat it)
     */
    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      checkedBaseUrl(baseUrl, true);
      this.baseUrl = baseUrl;
      return this;
    }

    /** The API's base URL; see {@link #baseUrl(String)}. */
    public Builder baseUrl(HttpUrl baseUrl) {
      return baseUrl(Objects.requireNonNull(baseUrl, "baseUrl").toString());
    }

    /** Allows plain http to a host other than loopback, which sends the key in clear text. */
    public Builder allowInsecure(boolean allowInsecure) {
      this.allowInsecure = allowInsecure;
      return this;
    }

    private static HttpUrl checkedBaseUrl(String baseUrl, boolean allowInsecure) {
      try {
        return HttpUrl.get(BaseUrl.parse(baseUrl, allowInsecure) + "/");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid baseUrl: " + e.getMessage());
      }
    }

    /**
     * The API key (for BLACKBOX, {@code bb_} followed by hex), sent as a bearer token. Required. It
     * is kept out of every message, {@code toString} and report.
     *
     * @throws IllegalArgumentException if blank or not sendable in an HTTP header; the message does
     *     not repeat the key
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = checkedKey("apiKey", apiKey);
      return this;
    }

    /**
     * The v1 Agent API's key ({@code sk-...}), for runs registered as {@code v1/RUNID}; kept out of
     * every message as {@link #apiKey} is. Either key may be given without the other; a task whose
     * family has no key is reported FAILED by a bulk cancel.
     *
     * @throws IllegalArgumentException if blank or not sendable in an HTTP header; the message does
     *     not repeat the key
     */
    public Builder agentApiKey(String agentApiKey) {
      this.agentApiKey = checkedKey("agentApiKey", agentApiKey);
      return this;
    }

    /**
     * The v1 Agent API's base URL; default {@code https://agent.blackbox.ai/api/v1}. Runs are
     * cancelled at {@code {agentBaseUrl}/tasks/{runId}}. The same rule as {@link #baseUrl}.
     *
     * @throws IllegalArgumentException if it is no acceptable URL (the message does not repeat it)
     */
    public Builder agentBaseUrl(String agentBaseUrl) {
      Objects.requireNonNull(agentBaseUrl, "agentBaseUrl");
      try {
        checkedBaseUrl(agentBaseUrl, true);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            e.getMessage().replace("invalid baseUrl", "invalid agentBaseUrl"));
      }
      this.agentBaseUrl = agentBaseUrl;
      return this;
    }

    private static String checkedKey(String name, String key) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(name + " must not be null or blank");
      }
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        if (c <= ' ' || c >= 0x7f) {
          throw new IllegalArgumentException(
              name + " must be printable ASCII without spaces (bad character at index " + i + ")");
        }
      }
      return key;
    }

    /**
     * Bulk-cancel requests in flight at once, 1 to {@link ClientDefaults#MAX_CONCURRENCY}; default
     * {@link ClientDefaults#CONCURRENCY}.
     */
    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1 || maxConcurrency > ClientDefaults.MAX_CONCURRENCY) {
        throw new IllegalArgumentException(
            "maxConcurrency must be between 1 and "
                + ClientDefaults.MAX_CONCURRENCY
                + " but was "
                + maxConcurrency);
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /**
     * The time limit for each single call ({@code cancel}, {@code status}, {@code get}); default 10
     * s.
     */
    public Builder callTimeout(Duration callTimeout) {
      Objects.requireNonNull(callTimeout, "callTimeout");
      if (callTimeout.isNegative()
          || callTimeout.isZero()
          || callTimeout.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "callTimeout must be positive and at most a day but was " + callTimeout);
      }
      this.callTimeout = callTimeout;
      return this;
    }

    /** The resolver for host names; default the system's. Mostly for tests. */
    public Builder dns(Dns dns) {
      this.dns = Objects.requireNonNull(dns, "dns");
      return this;
    }

    /**
     * CA certificates trusted <em>in addition to</em> the JVM's default trust (its {@code cacerts},
     * or {@code javax.net.ssl.trustStore} when set), for a corporate CA or a TLS-inspecting proxy.
     * A server certificate is accepted when either trusts it; hostname and validity dates are
     * checked as always. Replaces certificates added before; empty means the default trust only.
     *
     * <pre>{@code
     * TasksClient client =
     *     TasksClient.builder()
     *         .apiKey(key)
     *         .trustAlso(CaCertificates.read(Path.of("/etc/ssl/corp-ca.pem")))
     *         .build();
     * }</pre>
     *
     * <p>All connections of the client share one TLS context, so their sessions can be resumed.
     */
    public Builder trustAlso(Collection<X509Certificate> caCertificates) {
      List<X509Certificate> copy =
          List.copyOf(Objects.requireNonNull(caCertificates, "caCertificates"));
      this.addedTrust = copy;
      return this;
    }

    /**
     * {@link #trustAlso} with the certificates of a PEM file, read now.
     *
     * @throws IllegalArgumentException if the file is missing, unreadable or holds no certificate;
     *     see {@link CaCertificates#read}
     */
    public Builder caFile(Path pemFile) {
      return trustAlso(CaCertificates.read(Objects.requireNonNull(pemFile, "pemFile")));
    }

    /**
     * The proxy, above the JVM's proxy settings and the environment's {@code HTTPS_PROXY}: {@link
     * ProxySetting#none()} for direct connections. Unset, the JVM's settings, then the
     * environment's, decide; see {@link ProxyChoice}.
     *
     * <pre>{@code
     * builder.proxy(ProxySetting.parse("http://user:password@proxy.corp:3128"));
     * }</pre>
     */
    public Builder proxy(ProxySetting proxy) {
      this.proxy = Objects.requireNonNull(proxy, "proxy");
      return this;
    }

    /**
     * Where {@code https_proxy}, {@code HTTPS_PROXY}, {@code no_proxy} and {@code NO_PROXY} are
     * read; default this process's environment.
     */
    public Builder proxyEnvironment(Map<String, String> environment) {
      this.proxyEnvironment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /** Sets the TLS trust and the proxy on {@code http}. */
    private OkHttpClient.Builder withTrustAndProxy(OkHttpClient.Builder http) {
      if (!addedTrust.isEmpty()) {
        ClientTrust trust = ClientTrust.defaultTrustPlus(addedTrust);
        http.sslSocketFactory(trust.socketFactory(), trust.trustManager());
      }
      if (proxyChoice.selector() != null) {
        http.proxySelector(proxyChoice.selector());
      } else {
        http.proxy(proxyChoice.proxy().proxy());
      }
      // Only the setting and the environment carry credentials; the JVM's proxy settings have none.
      String from =
          proxyChoice.source() == ProxyChoice.Source.ENVIRONMENT
              ? "HTTPS_PROXY"
              : "the proxy setting";
      return http.proxyAuthenticator(new ProxyAuthentication(proxyChoice.proxy(), from));
    }

    /**
     * @throws IllegalArgumentException if no API key was given, or the base URL is plain http to a
     *     non-loopback host without {@link #allowInsecure}
     */
    public TasksClient build() {
      return build(null);
    }

    /** {@link #build()}, with {@code transport} adjusting OkHttp's builder last: for tests. */
    TasksClient build(Consumer<OkHttpClient.Builder> transport) {
      if (apiKey == null && agentApiKey == null) {
        throw new IllegalArgumentException(
            "an API key is required: apiKey (cloud tasks) or agentApiKey (v1 Agent API runs), or"
                + " both");
      }
      checkedBaseUrl(agentBaseUrl, allowInsecure);
      // The proxy is chosen for the host of the family with a key, the cloud API's when both.
      HttpUrl base = checkedBaseUrl(apiKey != null ? baseUrl : agentBaseUrl, allowInsecure);
      proxyChoice =
          ProxyChoice.choose(
              proxy,
              base.scheme(),
              base.host(),
              System.getProperties(),
              ProxySelector.getDefault(),
              proxyEnvironment != null ? proxyEnvironment : System.getenv());
      return new TasksClient(this, transport);
    }
  }
}
