package dev.lastcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keys of the two families: one string per task, never colliding, one rule. */
class TaskRefTest {
  private final TaskRegistry registry = TaskRegistry.global();

  @AfterEach
  void clear() {
    for (String key : registry.snapshot()) {
      registry.deregister(TaskRef.parse(key));
    }
  }

  @Test
  void aCloudTasksKeyIsItsIdAndARunsKeyCarriesThePrefix() {
    assertEquals("ac2wbk3l", TaskRef.cloud("ac2wbk3l").key());
    assertEquals("v1/run_1", TaskRef.v1Run("run_1").key());
    assertEquals(TaskRef.v1Run("run_1"), TaskRef.parse("v1/run_1"));
    assertEquals(TaskRef.cloud("v1"), TaskRef.parse("v1"));
    assertEquals(Family.V1, TaskRef.parse("v1/x").family());
    assertEquals("x", TaskRef.parse("v1/x").id());
  }

  @Test
  void theKeyRuleRefusesWithOneMessageNamingWhatIsAccepted() {
    assertNull(TaskIds.keyProblem("v1/run_1"));
    assertNull(TaskIds.keyProblem("abc"));
    String nested = TaskIds.keyProblem("v1/a/b");
    assertTrue(nested.contains("the run id after v1/"), nested);
    assertTrue(nested.contains("'/'"), nested);
    String empty = TaskIds.keyProblem("v1/");
    assertTrue(empty.contains("empty"), empty);
    String other = TaskIds.keyProblem("v2/abc");
    assertTrue(other.contains("v1/ followed by a v1 Agent API run id"), other);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TaskRef.parse("v1/.."));
    assertTrue(e.getMessage().contains("dot segment"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TaskRef.v1Run("a/b"));
  }

  @Test
  void theSameIdInBothFamiliesIsTwoRegistrations() {
    try (TrackedTask cloud = registry.register(TaskRef.cloud("same"));
        TrackedTask run = registry.register(TaskRef.v1Run("same"), Duration.ofHours(1))) {
      assertEquals(Set.of("same", "v1/same"), registry.snapshot());
      assertEquals("v1/same", run.id());
      assertEquals(TaskRef.v1Run("same"), run.ref());
      assertTrue(registry.isRegistered(TaskRef.v1Run("same")));
      assertTrue(registry.isRegistered("same"));
      cloud.close();
      assertTrue(registry.isRegistered(TaskRef.v1Run("same")));
      assertFalse(registry.isRegistered(TaskRef.cloud("same")));
      assertTrue(registry.deregister(TaskRef.v1Run("same")));
    }
  }

  @Test
  void theStringMethodsMeanACloudTaskAndPointToTaskRefForARun() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> registry.register("v1/run_1"));
    assertTrue(e.getMessage().contains("TaskRef.v1Run(runId)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> registry.deregister("v1/run_1"));
    assertThrows(IllegalArgumentException.class, () -> registry.isRegistered("v1/run_1"));
    assertThrows(IllegalArgumentException.class, () -> registry.cancel("v1/run_1"));
  }

  @Test
  void anOutcomeIsNamedByTheKeyAndSaysItsFamily() {
    TaskOutcome outcome =
        new TaskOutcome("v1/run_1", Outcome.STOPPED, 1, Duration.ZERO, "cancelled");
    assertEquals(Family.V1, outcome.family());
    assertEquals("run_1", outcome.taskId());
    TaskOutcome cloud = new TaskOutcome("abc", Outcome.STOPPED, 1, Duration.ZERO, "stopped");
    assertEquals(Family.CLOUD, cloud.family());
    assertEquals("abc", cloud.taskId());
    assertThrows(
        IllegalArgumentException.class,
        () -> new TaskOutcome("v1/a/b", Outcome.STOPPED, 1, Duration.ZERO, "x"));
  }

  @Test
  void anOutcomesHttpStatusIsNoneOrThreeDigits() {
    assertEquals(0, new TaskOutcome("abc", Outcome.TIMED_OUT, 0, Duration.ZERO, "x").httpStatus());
    assertEquals(
        404, new TaskOutcome("abc", Outcome.NOT_FOUND, 1, Duration.ZERO, "x", 404).httpStatus());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TaskOutcome("abc", Outcome.FAILED, 1, Duration.ZERO, "x", 42));
    assertEquals(
        "httpStatus must be 0 (no answer) or a three-digit HTTP status code (100 to 999) but was"
            + " 42",
        e.getMessage());
  }
}
