package dev.lastcall.agent.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RegistrationQueueTest {
  private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Test
  void aRegistrationNobodyRecordsReturnsAfterTheBoundAndStaysQueued() throws Exception {
    RegistrationQueue queue =
        new RegistrationQueue("test", lines::add); // the real 50 ms bound, no writer
    queue.opened();
    queue.registered("a");
    queue.registered("b");
    assertEquals(2, queue.lateRegistrations());
    assertEquals(1, lines.size(), "said once: " + lines);
    assertEquals(List.of("a", "b"), queue.take(0, 100).ids());
  }

  @Test
  void aRegistrationReturnsOnceTheWriterHasRecordedIt() throws Exception {
    RegistrationQueue queue =
        new RegistrationQueue(TimeUnit.MINUTES.toNanos(10), "test", lines::add);
    CompletableFuture<Void> registering = CompletableFuture.runAsync(() -> queue.registered("a"));
    RegistrationQueue.Batch batch = queue.take(TimeUnit.MINUTES.toMillis(10), 100);
    assertEquals(List.of("a"), batch.ids());
    queue.recorded(batch);
    registering.get(10, TimeUnit.MINUTES);
    assertEquals(0, queue.lateRegistrations());
  }

  @Test
  void aFailedBatchIsTakenAgainAndDeregistrationsAreQueuedWithoutWaiting() throws Exception {
    RegistrationQueue queue =
        new RegistrationQueue(TimeUnit.MINUTES.toNanos(10), "test", lines::add);
    queue.deregistered("b");
    queue.requeue(List.of("c", "b"));
    RegistrationQueue.Batch batch = queue.take(0, 100);
    assertEquals(List.of("b", "c"), batch.ids());
    queue.failed(batch);
    assertEquals(List.of("b", "c"), queue.take(0, 100).ids());
    assertTrue(queue.take(0, 100).isEmpty());
  }

  @Test
  void beforeTheJournalIsOpenARegistrationWaitsForItsOpeningNotJustTheBound() throws Exception {
    RegistrationQueue queue = new RegistrationQueue("test", lines::add); // the real 50 ms bound
    CompletableFuture<Void> registering = CompletableFuture.runAsync(() -> queue.registered("a"));
    RegistrationQueue.Batch batch = queue.take(TimeUnit.MINUTES.toMillis(10), 100);
    queue.opened();
    queue.recorded(batch);
    registering.get(10, TimeUnit.MINUTES);
    assertEquals(List.of("a"), batch.ids());
  }

  @Test
  void closingReleasesWaitingRegistrations() throws Exception {
    RegistrationQueue queue =
        new RegistrationQueue(TimeUnit.MINUTES.toNanos(10), "test", lines::add);
    CompletableFuture<Void> registering = CompletableFuture.runAsync(() -> queue.registered("a"));
    queue.take(TimeUnit.MINUTES.toMillis(10), 100); // it is queued, so its thread is waiting
    queue.close();
    registering.get(10, TimeUnit.MINUTES);
  }
}
