package dev.lastcall.agent.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.Outcome;
import dev.lastcall.TaskListener;
import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRegistry;
import dev.lastcall.TrackedTask;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.ondemand.FakeApi;
import dev.lastcall.client.Bodies;
import dev.lastcall.client.internal.ApiBodies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Time limits against a real HTTP server, in-process: the agent is its runtime with a client ready
 * ({@link FakeApi#startAgent}), the application is {@link TaskRegistry}. Waits are on the
 * listener's queue (what the application sees), never on sleeps.
 */
@Timeout(30)
class TimeLimitsTest {
  private static final Duration SHORT = Duration.ofMillis(200);
  private static final long WAIT_SECONDS = 10;

  private final TaskRegistry registry = TaskRegistry.global();
  private final BlockingQueue<TaskOutcome> outcomes = new LinkedBlockingQueue<>();

  /** Whether the task was still registered when the listener heard of it. */
  private final Map<String, Boolean> registeredWhenTold = new ConcurrentHashMap<>();

  private final TaskListener listener =
      outcome -> {
        registeredWhenTold.put(outcome.id(), registry.isRegistered(outcome.id()));
        outcomes.add(outcome);
      };
  private FakeApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi();
    registry.addListener(listener);
  }

  @AfterEach
  void stop() {
    registry.removeListener(listener);
    api.close();
  }

  private void agentStarts(String extraArgs) {
    AgentConfig config = api.config("timeout=5s" + (extraArgs.isEmpty() ? "" : "," + extraArgs));
    api.startAgent(config);
  }

  private TaskOutcome next() throws InterruptedException {
    TaskOutcome outcome = outcomes.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(outcome, "no outcome within " + WAIT_SECONDS + " s; requests " + api.requests);
    return outcome;
  }

  @Test
  void aTaskPastItsLimitIsStoppedDeregisteredAndTheListenerIsTold() throws Exception {
    agentStarts("");
    long registeredAt = System.nanoTime();
    TrackedTask task = registry.register("lim-1", SHORT);
    TaskOutcome outcome = next();
    long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - registeredAt);

    assertEquals("lim-1", outcome.id());
    assertEquals(Outcome.STOPPED, outcome.outcome());
    assertEquals(1, outcome.attempts());
    assertTrue(afterMs >= SHORT.toMillis(), "cancelled after " + afterMs + " ms, before its limit");
    assertFalse(task.isRegistered(), "a stopped task is deregistered");
    assertEquals(
        false, registeredWhenTold.get("lim-1"), "deregistered before the listener is told");
    assertEquals(List.of("PATCH lim-1"), api.requests);
  }

  @Test
  void deregisteringBeforeTheLimitCancelsTheTimer() throws Exception {
    agentStarts("");
    registry.register("gone-1", SHORT).close();
    registry.register("gone-2", SHORT);
    assertTrue(registry.deregister("gone-2"));
    // A later limit: by the time it fires, the earlier ones would have.
    registry.register("sentinel", SHORT.multipliedBy(2));

    assertEquals("sentinel", next().id());
    assertEquals(
        List.of("PATCH sentinel"),
        api.requests,
        "the server saw nothing for the deregistered tasks");
  }

  @Test
  void theConfiguredDefaultAppliesAndAnOwnLimitOverridesIt() throws Exception {
    agentStarts("maxRuntime=200ms");
    TrackedTask byDefault = registry.register("def-1");
    TrackedTask ownLonger = registry.register("own-1", Duration.ofHours(1));

    TaskOutcome outcome = next();
    assertEquals("def-1", outcome.id());
    assertEquals(Outcome.STOPPED, outcome.outcome());
    assertFalse(byDefault.isRegistered());
    assertTrue(ownLonger.isRegistered(), "its own limit of an hour, not the default");
    assertEquals(List.of(), api.requestsFor("own-1"));
  }

  @Test
  void reRegisteringReplacesTheLimit() throws Exception {
    agentStarts("");
    registry.register("rr-1", Duration.ofHours(1));
    registry.register("rr-1", SHORT); // now short
    registry.register("rr-2", SHORT);
    registry.register("rr-2", Duration.ofHours(1)); // now long
    registry.register("rr-3", SHORT);
    registry.register("rr-3"); // now none (no default configured)

    assertEquals("rr-1", next().id());
    registry.register("sentinel", SHORT);
    assertEquals("sentinel", next().id());
    assertEquals(List.of(), api.requestsFor("rr-2"));
    assertEquals(List.of(), api.requestsFor("rr-3"));
    assertTrue(registry.isRegistered("rr-2"));
    assertTrue(registry.isRegistered("rr-3"));
  }

  @Test
  void registrationsMadeBeforeTheAgentWasReadyKeepTheirLimit() throws Exception {
    long registeredAt = System.nanoTime();
    registry.register("early-1", SHORT);
    registry.register("early-2", Duration.ofHours(1));
    agentStarts("");

    TaskOutcome outcome = next();
    assertEquals("early-1", outcome.id());
    assertTrue(System.nanoTime() - registeredAt >= SHORT.toNanos());
    assertEquals(List.of(), api.requestsFor("early-2"));
  }

  @Test
  void aLimitThatPassedBeforeTheAgentWasReadyFiresAtOnce() throws Exception {
    registry.register("overdue", Duration.ofNanos(1));
    agentStarts("");
    assertEquals(Outcome.STOPPED, next().outcome());
  }

  @Test
  void notFoundIsFinalButUnauthorizedLeavesTheTaskRegistered() throws Exception {
    api.answer("missing", method -> Bodies.json(404, ApiBodies.error("Task not found")));
    api.answer("refused", method -> Bodies.json(401, ApiBodies.unauthorized()));
    agentStarts("");
    registry.register("missing", SHORT);
    registry.register("refused", SHORT);

    List<TaskOutcome> two = List.of(next(), next());
    for (TaskOutcome outcome : two) {
      if (outcome.id().equals("missing")) {
        assertEquals(Outcome.NOT_FOUND, outcome.outcome());
      } else {
        assertEquals(Outcome.UNAUTHORIZED, outcome.outcome());
      }
    }
    assertFalse(registry.isRegistered("missing"), "404 is final: deregistered");
    assertTrue(registry.isRegistered("refused"), "401 is not: the shutdown hook tries again");
  }

  @Test
  void aListenerThatThrowsHurtsNeitherTheAgentNorTheOthers() throws Exception {
    TaskListener broken =
        outcome -> {
          throw new IllegalStateException("listener bug");
        };
    registry.addListener(broken);
    try {
      agentStarts("");
      registry.register("l-1", SHORT);
      assertEquals("l-1", next().id());
      registry.register("l-2", SHORT);
      assertEquals("l-2", next().id(), "the agent carries on after a listener threw");
    } finally {
      registry.removeListener(broken);
    }
  }

  @Test
  void manyTasksWithLimitsAreCancelledInBatchesAndAllReported() throws Exception {
    agentStarts("maxRuntime=300ms");
    int count = 200;
    for (int i = 0; i < count; i++) {
      if (i % 2 == 0) {
        registry.register("many-" + i);
      } else {
        registry.register("many-" + i, Duration.ofMillis(100 + i));
      }
    }
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TaskOutcome outcome = next();
      assertEquals(Outcome.STOPPED, outcome.outcome(), outcome.toString());
      seen.add(outcome.id());
    }
    assertEquals(count, seen.stream().distinct().count());
    assertEquals(0, registry.size());
    assertEquals(count, api.requests.size(), "one stop per task");
  }
}
