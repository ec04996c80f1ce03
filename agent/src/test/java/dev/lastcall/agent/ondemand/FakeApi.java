package dev.lastcall.agent.ondemand;

import dev.lastcall.TaskRegistry;
import dev.lastcall.agent.client.ClientSource;
import dev.lastcall.agent.client.PreparedClient;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.config.ConfigProblem;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.runtime.AgentRuntime;
import dev.lastcall.client.Bodies;
import dev.lastcall.client.TasksClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A Tasks API on a {@link MockWebServer} for the agent's while-running tests: answers each stop
 * with what {@link #answer} says for the id (default: stopped; bodies from the client's {@link
 * Bodies}), records every request, and builds the agent's configuration, one client and the agent's
 * runtimes for it. Close it after each test: that closes the runtimes too.
 */
public final class FakeApi implements AutoCloseable {
  public static final String KEY = "bb_5e1f0c0ffee5e1f0c0ffee";

  public final MockWebServer server = new MockWebServer();

  /** "METHOD id" for every request, in arrival order. */
  public final List<String> requests = new CopyOnWriteArrayList<>();

  private final Map<String, Function<String, MockResponse>> answers = new ConcurrentHashMap<>();
  private final List<AgentRuntime> runtimes = new CopyOnWriteArrayList<>();
  private final CountDownLatch clientReleased = new CountDownLatch(1);
  private TasksClient client;

  public FakeApi() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String id = request.getUrl().pathSegments().get(2);
            requests.add(request.getMethod() + " " + id);
            Function<String, MockResponse> answer = answers.get(id);
            return answer != null ? answer.apply(request.getMethod()) : Bodies.stoppedAnswer(id);
          }
        });
    server.start();
  }

  /** Answers requests about {@code id} with {@code answer.apply(method)}. */
  public void answer(String id, Function<String, MockResponse> answer) {
    answers.put(id, answer);
  }

  /** The requests that named {@code id}. */
  public List<String> requestsFor(String id) {
    List<String> about = new ArrayList<>();
    for (String request : requests) {
      if (request.endsWith(" " + id)) {
        about.add(request);
      }
    }
    return about;
  }

  /** The agent's configuration for this server, with extra {@code key=value} arguments. */
  public AgentConfig config(String extraArgs) {
    List<ConfigProblem> problems = new ArrayList<>();
    AgentConfig config =
        ConfigLoader.load(
            "baseUrl=" + server.url("/") + (extraArgs.isEmpty() ? "" : "," + extraArgs),
            new Properties(),
            Map.of(),
            problems::add);
    if (!problems.isEmpty()) {
      throw new AssertionError(problems);
    }
    return config;
  }

  /** One client for this server, built on first use. */
  public synchronized TasksClient client() {
    if (client == null) {
      client = TasksClient.builder().baseUrl(server.url("/").toString()).apiKey(KEY).build();
    }
    return client;
  }

  /** The agent's runtime for this server, started, its client ready (time limits running). */
  public AgentRuntime startAgent(AgentConfig config) {
    AgentRuntime runtime = start(config, new Ready());
    PreparedClient prepared = runtime.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    if (!prepared.ready()) {
      throw new AssertionError("the agent's client is not ready: " + prepared);
    }
    return runtime;
  }

  /** The agent's runtime, started; its client is ready once {@link #releaseClient()} is called. */
  public AgentRuntime startAgentWaitingForClient(AgentConfig config) {
    return start(config, new ReadyWhenReleased());
  }

  /** The agent's runtime, started; it will have no client, because {@code why}. */
  public AgentRuntime startAgentWithoutClient(AgentConfig config, String why) {
    return start(config, c -> PreparedClient.unavailable(why));
  }

  /** Lets the client of {@link #startAgentWaitingForClient} be ready. */
  public void releaseClient() {
    clientReleased.countDown();
  }

  private AgentRuntime start(AgentConfig config, ClientSource source) {
    // Its tests count every request: no warm connection's status request among them.
    AgentRuntime runtime =
        new AgentRuntime(config, source, SharedRegistry.connect()).withoutWarmConnection();
    runtimes.add(runtime);
    runtime.start();
    return runtime;
  }

  private final class Ready implements ClientSource {
    @Override
    public PreparedClient prepare(AgentConfig config) {
      return PreparedClient.ready(client());
    }
  }

  private final class ReadyWhenReleased implements ClientSource {
    @Override
    public PreparedClient prepare(AgentConfig config) {
      try {
        clientReleased.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return PreparedClient.ready(client());
    }
  }

  @Override
  public void close() {
    releaseClient();
    for (AgentRuntime runtime : runtimes) {
      runtime.close();
    }
    if (client != null) {
      client.close();
    }
    server.close();
    for (String id : TaskRegistry.global().snapshot()) {
      TaskRegistry.global().deregister(id);
    }
  }
}
