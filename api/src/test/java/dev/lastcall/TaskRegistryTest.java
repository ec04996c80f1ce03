package dev.lastcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskRegistryTest {
  private final TaskRegistry registry = TaskRegistry.global();

  @AfterEach
  void clear() {
    for (String id : registry.snapshot()) {
      registry.deregister(id);
    }
  }

  @Test
  void globalIsOneInstance() {
    assertSame(TaskRegistry.global(), TaskRegistry.global());
  }

  @Test
  void registerThenCloseDeregisters() {
    TrackedTask task = registry.register("ac2wbk3lXAufdSdIscsirg");
    assertEquals("ac2wbk3lXAufdSdIscsirg", task.id());
    assertEquals(Set.of("ac2wbk3lXAufdSdIscsirg"), registry.snapshot());
    assertEquals(1, registry.size());
    assertTrue(task.isRegistered());

    task.close();
    assertEquals(Set.of(), registry.snapshot());
    assertFalse(task.isRegistered());
    task.close(); // idempotent
    assertEquals(0, registry.size());
  }

  @Test
  void tryWithResources() {
    try (TrackedTask task = registry.register("9qQe2F8Z_nXx9-eJA0BD6")) {
      assertTrue(registry.isRegistered(task.id()));
    }
    assertFalse(registry.isRegistered("9qQe2F8Z_nXx9-eJA0BD6"));
  }

  @Test
  void deregisterReportsWhetherItWasRegistered() {
    registry.register("a1");
    assertTrue(registry.deregister("a1"));
    assertFalse(registry.deregister("a1"));
  }

  @Test
  void reRegisteringKeepsTheNewestRegistration() {
    TrackedTask first = registry.register("dup");
    TrackedTask second = registry.register("dup");
    first.close();
    assertTrue(
        registry.isRegistered("dup"), "closing the older handle must not drop the newer one");
    second.close();
    assertFalse(registry.isRegistered("dup"));
  }

  @Test
  void snapshotIsAnImmutableCopy() {
    registry.register("s1");
    Set<String> snapshot = registry.snapshot();
    registry.register("s2");
    assertEquals(Set.of("s1"), snapshot);
    assertThrows(UnsupportedOperationException.class, () -> snapshot.add("x"));
  }

  @Test
  void badIdsAreRefusedWithAMessageNamingTheProblem() {
    assertMessage(null, "task id is null");
    assertMessage("", "task id is empty");
    assertMessage("   ", "contains whitespace at index 0");
    assertMessage("a".repeat(TaskIds.MAX_LENGTH + 1), "is 201 characters long");
    assertMessage("a/b", "contains '/' at index 1");
    assertMessage("a?b", "contains '?' at index 1");
    assertMessage("a#b", "contains '#' at index 1");
    assertMessage("a..b", "dot segment");
    assertMessage("..", "dot segment");
    assertMessage(".", "dot segment");
    assertMessage("a\u0000b", "control character at index 1");
    assertMessage("a\nb", "control character at index 1");
    assertMessage("a%2Fb", "contains '%' at index 1");
    assertEquals(0, registry.size(), "nothing is registered by a refused call");
  }

  @Test
  void messagesNeverEchoControlCharacters() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> registry.register("x\u001b[31mred"));
    assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    assertTrue(e.getMessage().contains("\\u001b"), e.getMessage());
  }

  @Test
  void deregisterAndIsRegisteredValidateToo() {
    assertThrows(IllegalArgumentException.class, () -> registry.deregister("a/b"));
    assertThrows(IllegalArgumentException.class, () -> registry.isRegistered((String) null));
  }

  @Test
  void concurrentRegistrationsAreAllRecorded() throws InterruptedException {
    int threads = 8;
    int perThread = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  TrackedTask task = registry.register("t" + thread + "-" + i);
                  if (i % 2 == 0) {
                    task.close();
                  }
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertEquals(threads * perThread / 2, registry.size());
  }

  private void assertMessage(String id, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> registry.register(id));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("a task id is 1 to 200 characters"), e.getMessage());
  }
}
