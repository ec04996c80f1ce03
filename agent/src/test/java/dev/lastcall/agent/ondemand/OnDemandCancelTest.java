package dev.lastcall.agent.ondemand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRegistry;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.client.Bodies;
import dev.lastcall.client.internal.ApiBodies;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code TaskRegistry.cancelAll} and {@code cancel} answered by the agent, against a real HTTP
 * server.
 */
@Timeout(30)
class OnDemandCancelTest {
  private final TaskRegistry registry = TaskRegistry.global();
  private FakeApi api;
  private AgentConfig config;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi();
    config = api.config("timeout=3s");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static Map<String, Outcome> outcomes(CancelReport report) {
    return report.tasks().stream().collect(Collectors.toMap(TaskOutcome::id, TaskOutcome::outcome));
  }

  @Test
  void cancelAllStopsEveryRegisteredTaskAndDeregistersTheConfirmedOnes() {
    api.answer(
        "od-done",
        method ->
            method.equals("PATCH")
                ? Bodies.json(
                    400, ApiBodies.error("Task can only be stopped when it is in progress"))
                : Bodies.json(200, ApiBodies.status("od-done", "completed", true)));
    api.answer("od-missing", method -> Bodies.json(404, ApiBodies.error("Task not found")));
    api.startAgent(config);
    registry.register("od-1");
    registry.register("od-2", Duration.ofHours(1));
    registry.register("od-done");
    registry.register("od-missing");

    CancelReport report = registry.cancelAll(Duration.ofSeconds(2));

    assertEquals(
        Map.of(
            "od-1",
            Outcome.STOPPED,
            "od-2",
            Outcome.STOPPED,
            "od-done",
            Outcome.ALREADY_DONE,
            "od-missing",
            Outcome.NOT_FOUND),
        outcomes(report));
    assertEquals(Duration.ofSeconds(2), report.deadline());
    assertTrue(report.duration().compareTo(Duration.ofSeconds(2)) <= 0, report.toString());
    assertEquals(
        Set.of("od-missing"), registry.snapshot(), "only confirmed tasks are deregistered");
  }

  @Test
  void cancelOneUsesTheConfiguredTimeout() {
    api.startAgent(config);
    registry.register("one-1");
    registry.register("one-2");

    CancelReport report = registry.cancel("one-1");

    assertEquals(Duration.ofSeconds(3), report.deadline(), "the agent's timeout");
    assertEquals(List.of("one-1"), report.tasks().stream().map(TaskOutcome::id).toList());
    assertTrue(report.allConfirmed());
    assertFalse(registry.isRegistered("one-1"));
    assertTrue(registry.isRegistered("one-2"));
    assertEquals(List.of("PATCH one-1"), api.requests);
  }

  @Test
  void anUnregisteredIdIsCancelledToo() {
    api.startAgent(config);
    assertEquals(Outcome.STOPPED, registry.cancel("never-registered").tasks().get(0).outcome());
  }

  @Test
  void nothingRegisteredIsAnEmptyReportWithoutARequest() {
    api.startAgentWaitingForClient(config); // no client yet: an empty cancel need not wait for it
    CancelReport report = registry.cancelAll(Duration.ofSeconds(5));
    assertEquals(0, report.tasks().size());
    assertTrue(report.duration().compareTo(Duration.ofSeconds(1)) < 0, report.toString());
  }

  @Test
  void aCallMadeBeforeTheClientIsReadyWaitsForIt() throws Exception {
    api.startAgentWaitingForClient(config);
    registry.register("wait-1");
    CompletableFuture<CancelReport> report =
        CompletableFuture.supplyAsync(() -> registry.cancelAll(Duration.ofSeconds(10)));
    assertFalse(report.isDone());
    assertEquals(List.of(), api.requests);

    api.releaseClient();

    CancelReport done = report.get(10, TimeUnit.SECONDS);
    assertEquals(Map.of("wait-1", Outcome.STOPPED), outcomes(done));
    assertFalse(registry.isRegistered("wait-1"));
  }

  @Test
  void aClientThatIsNotReadyByTheDeadlineMeansTimedOut() {
    api.startAgentWaitingForClient(config);
    registry.register("slow-1");
    CancelReport report = registry.cancelAll(Duration.ofMillis(200));
    TaskOutcome outcome = report.tasks().get(0);
    assertEquals(Outcome.TIMED_OUT, outcome.outcome());
    assertTrue(outcome.detail().contains("still starting"), outcome.detail());
    assertTrue(registry.isRegistered("slow-1"));
  }

  @Test
  void noClientAtAllMeansFailedWithTheReason() {
    api.startAgentWithoutClient(config, "BLACKBOX_API_KEY is not set");
    registry.register("nokey-1");
    TaskOutcome outcome = registry.cancel("nokey-1").tasks().get(0);
    assertEquals(Outcome.FAILED, outcome.outcome());
    assertEquals("not cancelled: BLACKBOX_API_KEY is not set", outcome.detail());
    assertEquals(List.of(), api.requests);
  }

  @Test
  void onceTheAgentIsGoneTheRegistrySaysSoAgain() {
    api.startAgent(config).close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> registry.cancelAll(Duration.ZERO));
    assertTrue(e.getMessage().contains("-javaagent:/path/to/lastcall-agent.jar"), e.getMessage());
  }
}
