package dev.lastcall.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.TaskRegistry;
import dev.lastcall.agent.AgentLogCapture;
import dev.lastcall.agent.client.PreparedClient;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.config.ConfigProblem;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.client.TasksClient;
import dev.lastcall.client.TestTransport;
import dev.lastcall.emulator.Emulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm connection through the agent's runtime, against the emulator over HTTPS with HTTP/2: one
 * read-only request at the first registration, the shutdown's calls sharing its connection, every
 * connection closed after the report, and the connection let go when the registry empties.
 */
class WarmConnectionTest {
  private static final String KEY = "bb_5e1f0c0ffee5e1f0c0ffee";

  @TempDir Path dir;
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private Emulator emulator;
  private AgentRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    for (String id : TaskRegistry.global().snapshot()) {
      TaskRegistry.global().deregister(id);
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  /** A started runtime whose client talks to the emulator as {@code key}, noting each request. */
  private void start(String key) throws Exception {
    start(key, "");
  }

  private void start(String key, String extraArgs) throws Exception {
    emulator = Emulator.builder().tls().apiKey(KEY).pendingFor(Duration.ZERO).start();
    List<ConfigProblem> problems = new ArrayList<>();
    AgentConfig config =
        ConfigLoader.load(
            "baseUrl=" + emulator.baseUrl() + ",timeout=5s" + extraArgs,
            new Properties(),
            Map.of(),
            problems::add);
    assertEquals(List.of(), problems);
    runtime =
        new AgentRuntime(
            config,
            configured ->
                PreparedClient.ready(
                    TestTransport.client(
                        TasksClient.builder().apiKey(key),
                        emulator,
                        http ->
                            http.addNetworkInterceptor(
                                chain -> {
                                  sent.add(
                                      chain.request().method()
                                          + " "
                                          + chain.request().url().encodedPath());
                                  return chain.proceed(chain.request());
                                }))),
            SharedRegistry.connect());
    runtime.start();
  }

  @Test
  void theFirstRegistrationOpensOneConnectionThatTheShutdownShares() throws Exception {
    start(KEY);
    String first = emulator.createTask(KEY, "first");
    String second = emulator.createTask(KEY, "second");
    String third = emulator.createTask(KEY, "third");

    TaskRegistry.global().register(first);
    await(() -> emulator.requestCount() == 1);
    TaskRegistry.global().register(second);
    TaskRegistry.global().register(third);

    assertEquals(List.of("GET /api/tasks/" + first + "/status"), sent);
    assertEquals("processing", emulator.task(first).orElseThrow().status());
    assertEquals(1L, emulator.openConnectionCounts().get("h2"));
    assertEquals(1, http2Readers(), "the warm connection's reader, in a socket read");

    runtime.shutdown();

    assertEquals(Map.of("stopped", 3L), emulator.countsByStatus());
    List<String> afterWarm = sent.subList(1, sent.size());
    assertEquals(
        Set.of(
            "PATCH /api/tasks/" + first, "PATCH /api/tasks/" + second, "PATCH /api/tasks/" + third),
        Set.copyOf(afterWarm));
    assertEquals(3, afterWarm.size(), sent.toString());
    // One connection for the whole run, the shutdown's cancel included, and closed by its end.
    assertEquals(Map.of("http/1.1", 0L, "h2", 1L), emulator.connectionCounts());
    await(() -> emulator.openConnectionCounts().get("h2") == 0L);
    // No thread of ours is left blocked in a socket read, which HotSpot's exit would wait for.
    await(() -> http2Readers() == 0);
  }

  /** Threads running an HTTP/2 connection's reader loop (blocked reading its socket when idle). */
  private static int http2Readers() {
    int readers = 0;
    for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
      for (StackTraceElement frame : stack) {
        if (frame.getClassName().endsWith("http2.Http2Reader")) {
          readers++;
          break;
        }
      }
    }
    return readers;
  }

  @Test
  void aClientPreparedBeforeAnyRegistrationWaitsForOneToOpenTheConnection() throws Exception {
    // With a journal the client is prepared at once, for the sweep: nothing is registered yet.
    start(KEY, ",journal=" + dir);
    PreparedClient client = runtime.await(System.nanoTime() + Duration.ofSeconds(10).toNanos());
    assertTrue(client.ready(), client.toString());
    assertEquals(0L, emulator.connectionCounts().get("h2"));

    String id = emulator.createTask(KEY, "later");
    TaskRegistry.global().register(id);

    // The status of the task registered later: the preparation waited for it.
    await(() -> sent.size() == 1);
    assertEquals(List.of("GET /api/tasks/" + id + "/status"), sent);
  }

  @Test
  void anEmptyRegistryLetsTheConnectionGo() throws Exception {
    start(KEY);
    String id = emulator.createTask(KEY, "only");
    TaskRegistry.global().register(id);
    await(() -> emulator.openConnectionCounts().get("h2") == 1L && sent.size() == 1);

    TaskRegistry.global().deregister(id);

    await(() -> emulator.openConnectionCounts().get("h2") == 0L);
    assertEquals(List.of("GET /api/tasks/" + id + "/status"), sent);
  }

  @Test
  void aRefusedKeyIsToldEarlyInOneLineWithoutTheKey() throws Exception {
    String wrong = "bb_0000000000000000000000";
    start(wrong);
    String id = emulator.createTask(KEY, "someone else's");
    TaskRegistry.global().register(id);

    await(() -> !AgentLogCapture.lines().isEmpty());

    List<String> lines = AgentLogCapture.lines();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("API key was refused (HTTP 401)"), lines.get(0));
    assertTrue(lines.get(0).contains(id), lines.get(0));
    assertTrue(!lines.get(0).contains(wrong) && !lines.get(0).contains("0000000000"), lines.get(0));
  }

  @Test
  void anUnknownTaskIsToldEarlyInOneLine() throws Exception {
    start(KEY);
    TaskRegistry.global().register("noSuchTask12345");

    await(() -> !AgentLogCapture.lines().isEmpty());

    List<String> lines = AgentLogCapture.lines();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(
        lines.get(0).startsWith("task noSuchTask12345 is unknown to the API (HTTP 404"),
        lines.get(0));
    assertEquals(List.of("GET /api/tasks/noSuchTask12345/status"), sent);
  }

  /** Waits, at most 10 s, for what happens on other threads (the preparation, the server). */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "condition not met within 10 s");
      Thread.sleep(5);
    }
  }
}
