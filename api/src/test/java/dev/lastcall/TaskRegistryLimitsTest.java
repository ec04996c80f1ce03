package dev.lastcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.testsupport.ChildFirstClassLoader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Time limits, listeners and cancel on demand as the api alone sees them: no agent is attached in
 * this JVM, so the test plays the agent's part through {@code sharedStateV1}, exactly as the agent
 * does.
 */
class TaskRegistryLimitsTest {
  private final TaskRegistry registry = TaskRegistry.global();
  private final List<TaskListener> added = new ArrayList<>();

  @AfterEach
  void clear() {
    for (String id : registry.snapshot()) {
      registry.deregister(id);
    }
    for (TaskListener listener : added) {
      registry.removeListener(listener);
    }
    canceller().set(null);
  }

  // --- shared state, as the agent reads it ------------------------------------------------------

  private static Object[] state() {
    try {
      Method method = TaskRegistry.class.getDeclaredMethod("sharedStateV1");
      method.setAccessible(true);
      return (Object[]) method.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static ConcurrentMap<String, Object> tasks() {
    return (ConcurrentMap<String, Object>) state()[0];
  }

  @SuppressWarnings("unchecked")
  private static ConcurrentMap<String, Map.Entry<Object, Long>> limits() {
    return (ConcurrentMap<String, Map.Entry<Object, Long>>) state()[3];
  }

  @SuppressWarnings("unchecked")
  private static AtomicReference<BiFunction<List<String>, Duration, Object[]>> canceller() {
    return (AtomicReference<BiFunction<List<String>, Duration, Object[]>>) state()[4];
  }

  @SuppressWarnings("unchecked")
  private static CopyOnWriteArrayList<Consumer<Object[]>> listeners() {
    return (CopyOnWriteArrayList<Consumer<Object[]>>) state()[5];
  }

  @SuppressWarnings("unchecked")
  private static BiPredicate<String, Object> release() {
    return (BiPredicate<String, Object>) state()[6];
  }

  private static void tellListeners(Object[] outcome) {
    for (Consumer<Object[]> listener : listeners()) {
      listener.accept(outcome);
    }
  }

  private void add(TaskListener listener) {
    registry.addListener(listener);
    added.add(listener);
  }

  // --- register with a limit --------------------------------------------------------------------

  @Test
  void sharedStateElementsAreAppendedInTheDocumentedOrder() {
    Object[] state = state();
    assertEquals(7, state.length);
    assertTrue(state[3] instanceof ConcurrentMap);
    assertTrue(state[4] instanceof AtomicReference);
    assertTrue(state[5] instanceof CopyOnWriteArrayList);
    assertTrue(state[6] instanceof BiPredicate);
  }

  @Test
  void maxRuntimeMustBePositive() {
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> registry.register("z1", Duration.ZERO));
    assertTrue(
        zero.getMessage().contains("maxRuntime must be a positive duration but was PT0S"),
        zero.getMessage());
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class, () -> registry.register("z1", Duration.ofSeconds(-1)));
    assertTrue(negative.getMessage().contains("PT-1S"), negative.getMessage());
    IllegalArgumentException none =
        assertThrows(IllegalArgumentException.class, () -> registry.register("z1", null));
    assertTrue(none.getMessage().contains("maxRuntime is null"), none.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> registry.register("a/b", Duration.ofSeconds(1)));
    assertEquals(0, registry.size(), "nothing is registered by a refused call");
    assertTrue(limits().isEmpty());
  }

  @Test
  void aLimitIsRecordedAsADeadlineOnTheNanoClockFromTheRegisterCall() {
    long before = System.nanoTime();
    TrackedTask task = registry.register("l1", Duration.ofSeconds(30));
    long after = System.nanoTime();
    Map.Entry<Object, Long> limit = limits().get("l1");
    assertSame(task, limit.getKey());
    assertTrue(limit.getValue() - before >= Duration.ofSeconds(30).toNanos());
    assertTrue(limit.getValue() - after <= Duration.ofSeconds(30).toNanos());
    assertTrue(registry.isRegistered("l1"));

    task.close();
    assertFalse(registry.isRegistered("l1"));
    assertTrue(limits().isEmpty(), "closing drops the limit");
  }

  @Test
  void aHugeLimitIsCappedInsteadOfOverflowing() {
    registry.register("forever", Duration.ofDays(365L * 1_000_000));
    long left = limits().get("forever").getValue() - System.nanoTime();
    assertTrue(left > Duration.ofDays(365L * 70).toNanos(), "about 73 years left, was " + left);
  }

  @Test
  void registrationsWithoutALimitNeverTouchTheLimits() {
    TrackedTask task = registry.register("n1");
    assertTrue(limits().isEmpty());
    task.close();
    assertTrue(limits().isEmpty());
  }

  @Test
  void reRegisteringReplacesTheLimit() {
    TrackedTask first = registry.register("r1", Duration.ofSeconds(5));
    TrackedTask second = registry.register("r1", Duration.ofMinutes(5));
    assertSame(second, limits().get("r1").getKey());
    first.close(); // the older handle takes nothing of the newer registration's
    assertSame(second, limits().get("r1").getKey());
    assertTrue(registry.isRegistered("r1"));

    // Registering again without a limit: the entry left behind names an older handle, which
    // the agent reads as "no limit of its own".
    TrackedTask third = registry.register("r1");
    assertNotSame(third, limits().get("r1").getKey());
    second.close();
    assertNull(limits().get("r1"), "a handle's close drops its own limit even when replaced");
    assertTrue(third.isRegistered());
  }

  @Test
  void deregisterDropsTheLimitToo() {
    registry.register("d1", Duration.ofSeconds(5));
    assertTrue(registry.deregister("d1"));
    assertTrue(limits().isEmpty());
  }

  @Test
  void theAgentsReleaseRemovesOnlyTheRegistrationItNames() {
    TrackedTask old = registry.register("x1", Duration.ofSeconds(5));
    TrackedTask current = registry.register("x1", Duration.ofSeconds(5));
    assertFalse(release().test("x1", old), "a replaced registration is not released");
    assertTrue(registry.isRegistered("x1"));
    assertTrue(release().test("x1", current));
    assertFalse(registry.isRegistered("x1"));
    assertFalse(current.isRegistered());
    old.close();
    assertTrue(limits().isEmpty());
  }

  // --- listeners ---------------------------------------------------------------------------------

  @Test
  void listenersGetTheApisOwnOutcomeAndOneThatThrowsHurtsNoOne() {
    List<TaskOutcome> seen = new ArrayList<>();
    add(
        outcome -> {
          throw new IllegalStateException("a broken listener");
        });
    add(seen::add);
    add(
        outcome -> {
          throw new OutOfMemoryError("even an error");
        });

    tellListeners(new Object[] {"t1", "STOPPED", 2, Duration.ofMillis(40), "stopped"});

    assertEquals(
        List.of(new TaskOutcome("t1", Outcome.STOPPED, 2, Duration.ofMillis(40), "stopped")), seen);
  }

  @Test
  void addingTwiceAddsOnceAndRemoveRemoves() {
    List<TaskOutcome> seen = new ArrayList<>();
    TaskListener listener = seen::add;
    add(listener);
    add(listener);
    tellListeners(new Object[] {"t2", "ALREADY_DONE", 1, Duration.ZERO, "status completed"});
    assertEquals(1, seen.size());

    assertTrue(registry.removeListener(listener));
    assertFalse(registry.removeListener(listener));
    assertFalse(registry.removeListener(null));
    tellListeners(new Object[] {"t3", "STOPPED", 1, Duration.ZERO, "stopped"});
    assertEquals(1, seen.size());
    assertThrows(NullPointerException.class, () -> registry.addListener(null));
  }

  @Test
  void anOutcomeNameThisApiDoesNotKnowBecomesFailedWithTheNameKept() {
    List<TaskOutcome> seen = new ArrayList<>();
    add(seen::add);
    tellListeners(new Object[] {"t4", "PAUSED", 1, Duration.ZERO, "a future outcome"});
    assertEquals(Outcome.FAILED, seen.get(0).outcome());
    assertEquals("PAUSED: a future outcome", seen.get(0).detail());
  }

  // --- cancel on demand
  // ----------------------------------------------------------------------------

  @Test
  void withoutTheAgentCancellingSaysWhatToAttach() {
    registry.register("c1");
    for (IllegalStateException e :
        List.of(
            assertThrows(
                IllegalStateException.class, () -> registry.cancelAll(Duration.ofSeconds(1))),
            assertThrows(IllegalStateException.class, () -> registry.cancel("c1")))) {
      assertTrue(e.getMessage().contains("-javaagent:/path/to/lastcall-agent.jar"), e.getMessage());
      assertTrue(e.getMessage().contains("BLACKBOX_API_KEY"), e.getMessage());
      assertTrue(e.getMessage().contains("none is attached"), e.getMessage());
    }
    assertTrue(registry.isRegistered("c1"), "a refused cancel leaves the registry alone");
  }

  @Test
  void cancelArgumentsAreCheckedFirst() {
    assertThrows(IllegalArgumentException.class, () -> registry.cancelAll(null));
    assertThrows(IllegalArgumentException.class, () -> registry.cancelAll(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> registry.cancel("a/b"));
  }

  @Test
  void theAgentsJdkTypedReportBecomesACancelReport() {
    List<Object[]> calls = new ArrayList<>();
    canceller()
        .set(
            (ids, deadline) -> {
              calls.add(new Object[] {ids, deadline});
              List<Object[]> tasks =
                  List.of(
                      new Object[] {"c1", "STOPPED", 1, Duration.ofMillis(12), "stopped"},
                      new Object[] {
                        "c2",
                        "TIMED_OUT",
                        3,
                        Duration.ofMillis(900),
                        "deadline reached: last answer HTTP 500"
                      });
              return new Object[] {
                deadline == null ? Duration.ofSeconds(10) : deadline, Duration.ofMillis(950), tasks
              };
            });

    CancelReport all = registry.cancelAll(Duration.ofSeconds(2));
    assertNull(calls.get(0)[0], "null ids: every registered task");
    assertEquals(Duration.ofSeconds(2), calls.get(0)[1]);
    assertEquals(Duration.ofSeconds(2), all.deadline());
    assertEquals(Duration.ofMillis(950), all.duration());
    assertEquals(1, all.count(Outcome.STOPPED));
    assertEquals(1, all.count(Outcome.TIMED_OUT));
    assertEquals(
        new TaskOutcome(
            "c2",
            Outcome.TIMED_OUT,
            3,
            Duration.ofMillis(900),
            "deadline reached: last answer HTTP 500"),
        all.tasks().get(1));

    registry.cancel("c1");
    assertEquals(List.of("c1"), calls.get(1)[0]);
    assertNull(calls.get(1)[1], "null deadline: the agent's configured timeout");
  }

  // --- a second copy of the api, loaded child-first
  // ------------------------------------------------

  @Test
  void aChildFirstCopySharesLimitsListenersAndCancelOnDemand() throws Exception {
    Class<?> system =
        Class.forName(TaskRegistry.class.getName(), false, ClassLoader.getSystemClassLoader());
    Assumptions.assumeTrue(
        system == TaskRegistry.class, "the test's api must be the system class loader's copy");
    URL classes = TaskRegistry.class.getProtectionDomain().getCodeSource().getLocation();
    try (ChildFirstClassLoader loader =
        new ChildFirstClassLoader(
            new URL[] {classes}, TaskRegistryLimitsTest.class.getClassLoader())) {
      Class<?> copy = Class.forName(TaskRegistry.class.getName(), true, loader);
      assertNotSame(TaskRegistry.class, copy, "precondition: a distinct copy");
      Object other = copy.getMethod("global").invoke(null);

      // A limit registered through the copy is in the one shared map.
      Object handle =
          copy.getMethod("register", String.class, Duration.class)
              .invoke(other, "cf-1", Duration.ofSeconds(9));
      assertTrue(registry.isRegistered("cf-1"));
      assertSame(handle, limits().get("cf-1").getKey());
      assertThrows(
          IllegalArgumentException.class,
          () ->
              invoke(
                  copy.getMethod("register", String.class, Duration.class),
                  other,
                  "cf-2",
                  Duration.ZERO));

      // A listener of the copy's own TaskListener type gets the copy's own TaskOutcome.
      Class<?> listenerType = Class.forName(TaskListener.class.getName(), false, loader);
      assertNotSame(TaskListener.class, listenerType);
      List<Object> seen = new ArrayList<>();
      Object listener =
          Proxy.newProxyInstance(
              loader,
              new Class<?>[] {listenerType},
              (proxy, method, args) -> {
                if (method.getName().equals("onOutcome")) {
                  seen.add(args[0]);
                  return null;
                }
                return method.getName().equals("equals")
                    ? proxy == args[0]
                    : method.getName().equals("hashCode")
                        ? System.identityHashCode(proxy)
                        : "listener";
              });
      copy.getMethod("addListener", listenerType).invoke(other, listener);
      tellListeners(new Object[] {"cf-1", "STOPPED", 1, Duration.ofMillis(5), "stopped"});
      assertEquals(1, seen.size());
      assertSame(loader, seen.get(0).getClass().getClassLoader(), "the copy's own TaskOutcome");
      assertEquals(true, copy.getMethod("removeListener", listenerType).invoke(other, listener));

      // Cancel on demand through the copy: the agent's function, the copy's own CancelReport.
      canceller()
          .set(
              (ids, deadline) ->
                  new Object[] {
                    deadline,
                    Duration.ofMillis(3),
                    List.<Object[]>of(
                        new Object[] {"cf-1", "STOPPED", 1, Duration.ofMillis(3), "stopped"})
                  });
      Object report =
          copy.getMethod("cancelAll", Duration.class).invoke(other, Duration.ofSeconds(1));
      assertSame(loader, report.getClass().getClassLoader());
      assertEquals(true, report.getClass().getMethod("allConfirmed").invoke(report));

      // Without the agent's function the copy says what to attach, too.
      canceller().set(null);
      InvocationTargetException e =
          assertThrows(
              InvocationTargetException.class,
              () -> copy.getMethod("cancel", String.class).invoke(other, "cf-1"));
      assertTrue(e.getCause() instanceof IllegalStateException);
      assertTrue(e.getCause().getMessage().contains("-javaagent:"), e.getCause().getMessage());

      // Closing the copy's handle clears the shared limit.
      handle.getClass().getMethod("close").invoke(handle);
      assertFalse(registry.isRegistered("cf-1"));
      assertTrue(limits().isEmpty());
    }
  }

  private static Object invoke(Method method, Object target, Object... args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
