package dev.lastcall.agent.shutdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.TaskRegistry;
import dev.lastcall.agent.AgentLogCapture;
import dev.lastcall.agent.client.ClientSource;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.config.ConfigProblem;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.runtime.AgentRuntime;
import dev.lastcall.client.internal.ApiBodies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook's whole data path in-process, through the agent's runtime: snapshot, cancel against a
 * real HTTP server, report.
 */
class ShutdownRunTest {
  private static final String KEY = "bb_5e1f0c0ffee5e1f0c0ffee";

  @TempDir Path dir;
  private final MockWebServer server = new MockWebServer();
  private final Set<String> stopped = ConcurrentHashMap.newKeySet();
  private AgentRuntime runtime;

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    server.close();
    for (String id : TaskRegistry.global().snapshot()) {
      TaskRegistry.global().deregister(id);
    }
  }

  private AgentConfig config(String timeout, boolean withKey) throws Exception {
    Path keyFile = Files.writeString(dir.resolve("key"), KEY);
    String args =
        "baseUrl="
            + server.url("/").toString()
            + ",timeout="
            + timeout
            + ",report="
            + dir.resolve("report.json")
            + (withKey ? ",apiKeyFile=" + keyFile : ",apiKeyFile=" + dir.resolve("missing"));
    List<ConfigProblem> problems = new ArrayList<>();
    AgentConfig config = ConfigLoader.load(args, new Properties(), Map.of(), problems::add);
    assertEquals(List.of(), problems);
    return config;
  }

  private static MockResponse stoppedResponse(String id) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json")
        .body(ApiBodies.stopped(id))
        .build();
  }

  /** The agent's runtime, started, its preparation settled: what the hook finds at shutdown. */
  private AgentRuntime prepared(AgentConfig config) {
    runtime = new AgentRuntime(config, ClientSource.environment(), SharedRegistry.connect());
    runtime.start();
    runtime.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    return runtime;
  }

  private String report() throws Exception {
    return Files.readString(dir.resolve("report.json"));
  }

  @Test
  void cancelsEverythingRegisteredIncludingARegistrationThatRacesTheHook() throws Exception {
    AtomicBoolean raced = new AtomicBoolean();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String id = request.getUrl().pathSegments().get(2);
            // While the hook is cancelling, the application registers one more task.
            if (raced.compareAndSet(false, true)) {
              TaskRegistry.global().register("late-1");
            }
            stopped.add(id);
            return stoppedResponse(id);
          }
        });
    TaskRegistry.global().register("t-1");
    TaskRegistry.global().register("t-2");
    TaskRegistry.global().register("t-3");

    prepared(config("5s", true)).shutdown();

    assertEquals(Set.of("t-1", "t-2", "t-3", "late-1"), stopped);
    String report = report();
    assertTrue(report.contains("\"counts\":{\"STOPPED\":4,\"ALREADY_DONE\":0"), report);
    for (String id : List.of("t-1", "t-2", "t-3", "late-1")) {
      assertTrue(
          report.contains("{\"id\":\"" + id + "\",\"family\":\"cloud\",\"outcome\":\"STOPPED\""),
          report);
    }
    assertTrue(!report.contains(KEY), "the key never reaches the report");
    List<String> lines = AgentLogCapture.lines();
    assertTrue(
        lines.stream()
            .anyMatch(
                line ->
                    line.startsWith("4 tasks at shutdown, handled in ")
                        && line.endsWith(
                            ": 4 stopped, 0 already done, 0 not found, 0 unauthorized,"
                                + " 0 failed, 0 timed out")),
        "the summary line: " + lines);
    assertTrue(lines.stream().noneMatch(line -> line.contains(KEY)), "nor any line");
  }

  @Test
  void withoutAKeyEveryRegisteredTaskIsStillReported() throws Exception {
    TaskRegistry.global().register("k-1");
    TaskRegistry.global().register("k-2");
    prepared(config("2s", false)).shutdown();

    assertEquals(0, server.getRequestCount());
    String report = report();
    assertTrue(report.contains("\"FAILED\":2"), report);
    assertTrue(
        report.contains("{\"id\":\"k-1\",\"family\":\"cloud\",\"outcome\":\"FAILED\""), report);
    assertTrue(report.contains("cannot be read"), report);
  }

  @Test
  void aServerThatNeverAnswersCannotHoldTheHookPastItsDeadline() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().headersDelay(1, TimeUnit.HOURS).build();
          }
        });
    TaskRegistry.global().register("h-1");
    TaskRegistry.global().register("h-2");
    AgentRuntime run = prepared(config("1s", true));
    long start = System.nanoTime();
    run.shutdown();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertTrue(tookMs < 1_250, "returned after " + tookMs + " ms");
    String report = report();
    assertTrue(report.contains("\"TIMED_OUT\":2"), report);
  }
}
