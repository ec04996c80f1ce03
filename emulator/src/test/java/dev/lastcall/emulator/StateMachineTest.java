package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The life cycle as a pure function of time. */
class StateMachineTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final Timings TIMINGS =
      new Timings(Duration.ofSeconds(1), Duration.ofSeconds(100), Duration.ofSeconds(2));
  static final Duration MAX = Duration.ofSeconds(300);

  private static TaskState at(long millis, Duration max) {
    return StateMachine.derive(T0, max, TIMINGS, T0.plusMillis(millis));
  }

  @Test
  void walksPendingProcessingSavingCompleted() {
    assertEquals("pending", at(0, MAX).status());
    assertEquals("pending", at(999, MAX).status());
    TaskState processing = at(1_000, MAX);
    assertEquals("processing", processing.status());
    assertEquals(0, processing.progress());
    assertEquals(T0.plusSeconds(1), processing.updatedAt());
    assertNull(processing.completedAt());
    assertEquals(45, at(51_000, MAX).progress());
    assertEquals(89, at(100_999, MAX).progress());
    TaskState saving = at(101_000, MAX);
    assertEquals("saving", saving.status());
    assertEquals(StateMachine.SAVING_PROGRESS, saving.progress());
    TaskState done = at(103_000, MAX);
    assertEquals("completed", done.status());
    assertEquals(100, done.progress());
    assertEquals(T0.plusSeconds(103), done.completedAt());
    assertEquals(done, at(1_000_000, MAX), "a finished state never changes");
  }

  @Test
  void maxDurationElapsingWhileProcessingIsATimeout() {
    Duration max = Duration.ofSeconds(30);
    assertEquals("processing", at(30_999, max).status());
    TaskState timeout = at(31_000, max);
    assertEquals("timeout", timeout.status());
    assertEquals(T0.plusSeconds(31), timeout.completedAt());
    assertEquals(27, timeout.progress());
    assertTrue(timeout.error().contains("30s"));
    assertEquals(timeout, at(500_000, max));
  }

  @Test
  void zeroDurationsSkipPhases() {
    Timings instant = new Timings(Duration.ZERO, Duration.ZERO, Duration.ZERO);
    assertEquals("completed", StateMachine.derive(T0, MAX, instant, T0).status());
    Timings noPending = new Timings(Duration.ZERO, Duration.ofSeconds(10), Duration.ZERO);
    assertEquals("processing", StateMachine.derive(T0, MAX, noPending, T0).status());
  }

  @Test
  void statusClassesMatchTheDocumentation() {
    for (String s : new String[] {"pending", "processing", "saving"}) {
      assertTrue(TaskStatus.inProgress(s) && !TaskStatus.isDone(s), s);
    }
    for (String s : new String[] {"completed", "error", "stopped", "timeout"}) {
      assertTrue(TaskStatus.isDone(s) && !TaskStatus.inProgress(s), s);
    }
    assertTrue(!TaskStatus.isDone("running") && !TaskStatus.inProgress("running"));
  }
}
