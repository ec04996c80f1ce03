package dev.lastcall.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskListener;
import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRegistry;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wire between copies of the api and the agent: its names, its encoding, and both directions of
 * compatibility with copies that speak only the positional {@code sharedStateV1}.
 */
class SharedStateTest {
  private static final TaskOutcome STOPPED =
      new TaskOutcome("o-1", Outcome.STOPPED, 2, Duration.ofMillis(40), "stopped", 200);
  private static final TaskOutcome TIMED_OUT =
      new TaskOutcome(
          "o-2", Outcome.TIMED_OUT, 3, Duration.ofMillis(900), "deadline reached: HTTP 500", 500);

  private final SharedState global = SharedState.global();
  private final List<Runnable> cleanUp = new ArrayList<>();

  @AfterEach
  void clear() {
    cleanUp.forEach(Runnable::run);
    for (String id : global.snapshot()) {
      global.deregister(id);
    }
  }

  // --- names and encoding ----------------------------------------------------------------------

  @Test
  void theCanonicalStateOffersEveryPartByName() {
    Map<String, Object> parts = global.parts();
    assertEquals(
        Set.of(
            "tasks",
            "registrationListener",
            "deregistrationListener",
            "limits",
            "release",
            "canceller",
            "listeners",
            "cancellerV1",
            "listenersV1"),
        parts.keySet());
    assertTrue(parts.get("tasks") instanceof ConcurrentMap);
    assertTrue(parts.get("release") instanceof BiPredicate);
    assertTrue(parts.get("canceller") instanceof AtomicReference);
    assertTrue(parts.get("listeners") instanceof CopyOnWriteArrayList);
    assertSame(parts, reflectively(TaskRegistry.class, "sharedStateV2"));
    assertTrue(global.has(SharedState.LIMITS));
    assertFalse(global.has("journal"), "a part no release offers");
  }

  @Test
  void outcomesAndReportsCrossAsNamedJdkMapsAndComeBackEqual() {
    Map<String, Object> outcome = SharedState.encode(STOPPED);
    assertEquals(
        Map.of(
            "id",
            "o-1",
            "outcome",
            "STOPPED",
            "attempts",
            2,
            "elapsed",
            Duration.ofMillis(40),
            "detail",
            "stopped",
            "httpStatus",
            200),
        outcome);
    assertEquals(STOPPED, SharedState.decodeOutcome(outcome));

    CancelReport report =
        CancelReport.of(Duration.ofSeconds(2), Duration.ofMillis(950), List.of(STOPPED, TIMED_OUT));
    Map<String, Object> encoded = SharedState.encode(report);
    assertEquals(Set.of("deadline", "duration", "tasks"), encoded.keySet());
    assertEquals(Duration.ofSeconds(2), encoded.get("deadline"));
    assertEquals(Duration.ofMillis(950), encoded.get("duration"));
    CancelReport decoded = SharedState.decodeReport(encoded);
    assertEquals(report.deadline(), decoded.deadline());
    assertEquals(report.duration(), decoded.duration());
    assertEquals(report.tasks(), decoded.tasks());
  }

  @Test
  void anOlderCopysOutcomeWithoutAStatusHasNone() {
    TaskOutcome decoded =
        SharedState.decodeOutcome(
            Map.of(
                "id", "o-4",
                "outcome", "STOPPED",
                "attempts", 1,
                "elapsed", Duration.ZERO,
                "detail", "stopped"));
    assertEquals(0, decoded.httpStatus());
    assertEquals(Outcome.STOPPED, decoded.outcome());
  }

  @Test
  void anOutcomeNameThisCopyDoesNotKnowBecomesFailedWithTheNameKept() {
    TaskOutcome decoded =
        SharedState.decodeOutcome(
            Map.of(
                "id", "o-3",
                "outcome", "PAUSED",
                "attempts", 1,
                "elapsed", Duration.ZERO,
                "detail", "a future outcome"));
    assertEquals(Outcome.FAILED, decoded.outcome());
    assertEquals("PAUSED: a future outcome", decoded.detail());
  }

  @Test
  void anotherStateOverTheSameNamedPartsSharesEverything() throws Exception {
    int oldListeners = ((List<?>) global.parts().get("listenersV1")).size();
    SharedState copy = SharedState.sharedBy(TaskRegistry.class);
    assertEquals(global.parts(), copy.parts());
    assertEquals(
        oldListeners,
        ((List<?>) global.parts().get("listenersV1")).size(),
        "no second forwarder when the new list is shared");

    Object handle = new Object();
    copy.register("n-1", handle, 42L);
    assertSame(handle, global.handle("n-1"));
    assertEquals(42L, global.deadline("n-1", handle));
    assertTrue(TaskRegistry.global().isRegistered("n-1"));
    assertTrue(global.release("n-1", handle));
    assertFalse(copy.isRegistered("n-1"));
    assertFalse(global.hasLimitEntry("n-1"));
  }

  // --- a newer agent, an older copy of the api ---------------------------------------------------

  /** A copy of the api older than SharedState: it reads sharedStateV1 and casts by position. */
  private static final class OldApiCopy {
    final Object[] state = (Object[]) reflectively(TaskRegistry.class, "sharedStateV1");

    @SuppressWarnings("unchecked")
    void register(String id, Object handle, long deadline) {
      ((ConcurrentMap<String, Map.Entry<Object, Long>>) state[3])
          .put(id, Map.entry(handle, deadline));
      ((ConcurrentMap<String, Object>) state[0]).put(id, handle);
      Consumer<String> agent = ((AtomicReference<Consumer<String>>) state[1]).get();
      if (agent != null) {
        agent.accept(id);
      }
    }

    @SuppressWarnings("unchecked")
    Consumer<Object[]> addListener(List<Object[]> seen) {
      Consumer<Object[]> listener = seen::add;
      ((CopyOnWriteArrayList<Consumer<Object[]>>) state[5]).addIfAbsent(listener);
      return listener;
    }

    @SuppressWarnings("unchecked")
    void removeListener(Consumer<Object[]> listener) {
      ((CopyOnWriteArrayList<Consumer<Object[]>>) state[5]).remove(listener);
    }

    @SuppressWarnings("unchecked")
    BiFunction<List<String>, Duration, Object[]> canceller() {
      return ((AtomicReference<BiFunction<List<String>, Duration, Object[]>>) state[4]).get();
    }
  }

  @Test
  void anOlderCopysRegistrationsAndLimitsReachTheNewerAgent() {
    List<String> told = new ArrayList<>();
    global.setRegistrationListener(told::add);
    cleanUp.add(() -> global.setRegistrationListener(null));

    Object handle = new Object();
    new OldApiCopy().register("old-1", handle, 1234L);

    assertEquals(List.of("old-1"), told);
    assertSame(handle, global.handle("old-1"));
    assertEquals(1234L, global.deadline("old-1", handle));
    assertNull(global.deadline("old-1", new Object()), "another handle's limit is not this one");
    assertTrue(global.release("old-1", handle));
    assertFalse(global.hasLimitEntry("old-1"));
  }

  @Test
  void theNewerAgentTellsAnOlderCopysListenersPositionallyAndEveryListenerOnce() {
    OldApiCopy old = new OldApiCopy();
    List<Object[]> oldSeen = new ArrayList<>();
    Consumer<Object[]> oldListener = old.addListener(oldSeen);
    cleanUp.add(() -> old.removeListener(oldListener));
    List<TaskOutcome> newSeen = new ArrayList<>();
    TaskListener newListener = newSeen::add;
    TaskRegistry.global().addListener(newListener);
    cleanUp.add(() -> TaskRegistry.global().removeListener(newListener));

    global.tellListeners(STOPPED);

    assertEquals(1, oldSeen.size());
    assertArrayEquals(
        new Object[] {"o-1", "STOPPED", 2, Duration.ofMillis(40), "stopped"}, oldSeen.get(0));
    assertEquals(List.of(STOPPED), newSeen, "told once, not again through the old list");
  }

  @Test
  void anOlderCopyCallsTheNewerAgentsCancellerAndGetsThePositionalReport() {
    List<Object> asked = new ArrayList<>();
    BiFunction<List<String>, Duration, Map<String, Object>> agent =
        (ids, deadline) -> {
          asked.add(ids);
          asked.add(deadline);
          return SharedState.encode(
              CancelReport.of(
                  deadline == null ? Duration.ofSeconds(10) : deadline,
                  Duration.ofMillis(950),
                  List.of(STOPPED, TIMED_OUT)));
        };
    global.installCanceller(agent);
    cleanUp.add(() -> global.uninstallCanceller(agent));
    OldApiCopy old = new OldApiCopy();

    Object[] report = old.canceller().apply(null, Duration.ofSeconds(2));

    assertNull(asked.get(0), "null ids: every registered task");
    assertEquals(Duration.ofSeconds(2), asked.get(1));
    assertEquals(Duration.ofSeconds(2), report[0]);
    assertEquals(Duration.ofMillis(950), report[1]);
    List<?> tasks = (List<?>) report[2];
    assertArrayEquals(
        new Object[] {"o-2", "TIMED_OUT", 3, Duration.ofMillis(900), "deadline reached: HTTP 500"},
        (Object[]) tasks.get(1));
    assertEquals(
        List.of(STOPPED, TIMED_OUT),
        global.cancel(List.of("o-1"), null).tasks(),
        "this copy takes the named report");

    global.uninstallCanceller(agent);
    assertNull(old.canceller(), "uninstalled for the older copy too");
    assertNull(global.cancel(null, Duration.ZERO));
  }

  // --- an older agent, a newer copy of the api ---------------------------------------------------

  /** The canonical copy of an agent older than SharedState: it offers only the positional array. */
  private static final class OldTaskRegistry {
    static final ConcurrentMap<String, Object> TASKS = new ConcurrentHashMap<>();
    static final AtomicReference<Consumer<String>> REGISTERED = new AtomicReference<>();
    static final AtomicReference<Consumer<String>> DEREGISTERED = new AtomicReference<>();
    static final ConcurrentMap<String, Map.Entry<Object, Long>> LIMITS = new ConcurrentHashMap<>();
    static final AtomicReference<BiFunction<List<String>, Duration, Object[]>> CANCELLER =
        new AtomicReference<>();
    static final CopyOnWriteArrayList<Consumer<Object[]>> LISTENERS = new CopyOnWriteArrayList<>();
    static final BiPredicate<String, Object> RELEASE = (id, handle) -> TASKS.remove(id, handle);

    @SuppressWarnings("unused") // called reflectively
    private static Object[] sharedStateV1() {
      return new Object[] {TASKS, REGISTERED, DEREGISTERED, LIMITS, CANCELLER, LISTENERS, RELEASE};
    }
  }

  /** An agent older still: its array stops before limits, listeners and cancel on demand. */
  private static final class OldestTaskRegistry {
    static final ConcurrentMap<String, Object> TASKS = new ConcurrentHashMap<>();

    @SuppressWarnings("unused") // called reflectively
    private static Object[] sharedStateV1() {
      return new Object[] {TASKS, new AtomicReference<>(), new AtomicReference<>()};
    }
  }

  @Test
  void anOlderApiAheadOfTheAgentJarIsReadThroughItsArrayEvenInTheSameLoader() throws Exception {
    // The application's older TaskRegistry and the agent's newer SharedState share a loader.
    SharedState state = SharedState.locate(OldTaskRegistry.class, OldTaskRegistry.class);
    assertSame(OldTaskRegistry.TASKS, state.parts().get("tasks"));
    assertSame(OldTaskRegistry.LIMITS, state.parts().get("limits"));
  }

  @Test
  void theCanonicalCopyKeepsItsStateHere() throws Exception {
    SharedState state = SharedState.locate(TaskRegistry.class, TaskRegistry.class);
    assertNotSame(SharedState.global().parts().get("tasks"), state.parts().get("tasks"));
  }

  @Test
  void aNewerCopyReadsAnOlderAgentsArrayByNameOnce() throws Exception {
    SharedState state = SharedState.sharedBy(OldTaskRegistry.class);
    assertTrue(state.has("tasks"));
    assertTrue(state.has("cancellerV1"));
    assertFalse(state.isOlderAgent());
    assertSame(OldTaskRegistry.LIMITS, state.parts().get("limits"));
    assertSame(OldTaskRegistry.RELEASE, state.parts().get("release"));

    List<String> registered = new ArrayList<>();
    List<String> deregistered = new ArrayList<>();
    OldTaskRegistry.REGISTERED.set(registered::add);
    OldTaskRegistry.DEREGISTERED.set(deregistered::add);
    Object handle = new Object();
    state.register("v1-1", handle, 99L);
    assertSame(handle, OldTaskRegistry.TASKS.get("v1-1"));
    assertEquals(Map.entry(handle, 99L), OldTaskRegistry.LIMITS.get("v1-1"));
    assertEquals(List.of("v1-1"), registered);
    assertTrue(state.deregister("v1-1"));
    assertEquals(List.of("v1-1"), deregistered);
    assertTrue(OldTaskRegistry.LIMITS.isEmpty());
  }

  @Test
  void anOlderAgentsPositionalOutcomesAndReportsReachTheNewerCopyDecoded() throws Exception {
    SharedState state = SharedState.sharedBy(OldTaskRegistry.class);
    List<TaskOutcome> seen = new ArrayList<>();
    state.addListener(seen::add);
    for (Consumer<Object[]> listener : OldTaskRegistry.LISTENERS) { // as the older agent tells
      listener.accept(new Object[] {"o-1", "STOPPED", 2, Duration.ofMillis(40), "stopped"});
    }
    assertEquals(List.of(withoutStatus(STOPPED)), seen, "the positional wire has no status");

    OldTaskRegistry.CANCELLER.set(
        (ids, deadline) ->
            new Object[] {
              Duration.ofSeconds(10),
              Duration.ofMillis(950),
              List.of(
                  new Object[] {"o-1", "STOPPED", 2, Duration.ofMillis(40), "stopped"},
                  new Object[] {
                    "o-2", "TIMED_OUT", 3, Duration.ofMillis(900), "deadline reached: HTTP 500"
                  })
            });
    CancelReport report = state.cancel(List.of("o-1", "o-2"), null);
    assertEquals(Duration.ofSeconds(10), report.deadline());
    assertEquals(Duration.ofMillis(950), report.duration());
    assertEquals(List.of(withoutStatus(STOPPED), withoutStatus(TIMED_OUT)), report.tasks());
  }

  private static TaskOutcome withoutStatus(TaskOutcome outcome) {
    return new TaskOutcome(
        outcome.id(), outcome.outcome(), outcome.attempts(), outcome.elapsed(), outcome.detail());
  }

  @Test
  void anAgentOlderThanCancelOnDemandSharesRegistrationsOnly() throws Exception {
    SharedState state = SharedState.sharedBy(OldestTaskRegistry.class);
    assertTrue(state.isOlderAgent());
    state.register("v0-1", new Object());
    assertTrue(OldestTaskRegistry.TASKS.containsKey("v0-1"));
    assertNull(state.cancel(null, Duration.ZERO));
  }

  @Test
  void aClassThatSharesNothingIsRefused() {
    assertThrows(ReflectiveOperationException.class, () -> SharedState.sharedBy(Object.class));
    assertFalse(SharedState.fresh().isOlderAgent(), "no agent at all is not an older one");
  }

  private static Object reflectively(Class<?> type, String method) {
    try {
      Method shared = type.getDeclaredMethod(method);
      shared.setAccessible(true);
      return shared.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
