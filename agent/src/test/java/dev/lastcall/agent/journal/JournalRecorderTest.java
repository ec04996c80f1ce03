package dev.lastcall.agent.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRecorderTest {
  @TempDir Path dir;
  private final Set<String> registry = ConcurrentHashMap.newKeySet();
  private final List<String> problems = new ArrayList<>();

  private JournalRecorder open(int compactAfter) throws Exception {
    return JournalRecorder.open(
        dir.resolve("journals"), registry::contains, compactAfter, problems::add);
  }

  private void register(JournalRecorder recorder, String id) {
    registry.add(id);
    recorder.reconcile(id);
  }

  private void deregister(JournalRecorder recorder, String id) {
    registry.remove(id);
    recorder.reconcile(id);
  }

  private static Set<String> onDisk(JournalRecorder recorder) throws Exception {
    return JournalFormat.parse(Files.readAllBytes(recorder.journal())).live();
  }

  @Test
  void everyRegistrationIsOnDiskWhenReconcileReturns() throws Exception {
    JournalRecorder recorder = open(1000);
    register(recorder, "a");
    register(recorder, "b");
    assertEquals(Set.of("a", "b"), onDisk(recorder));
    deregister(recorder, "a");
    assertEquals(Set.of("b"), onDisk(recorder));
    assertTrue(problems.isEmpty(), problems.toString());
  }

  @Test
  void filesAreOwnerOnlyAndHoldNoKey() throws Exception {
    JournalRecorder recorder = open(1000);
    register(recorder, "a");
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(recorder.journal())));
    Path lock = recorder.journal().resolveSibling(recorder.name() + ".lock");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lock)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("journals"))));
  }

  @Test
  void eventsArrivingOutOfOrderStillLeaveTheRegistrysTruth() throws Exception {
    JournalRecorder recorder = open(1000);
    // Thread A put "x", thread B removed it, and B's event is handled before A's.
    registry.add("x");
    registry.remove("x");
    recorder.reconcile("x"); // B's deregistration event
    recorder.reconcile("x"); // A's registration event, late
    assertEquals(Set.of(), onDisk(recorder));
    register(recorder, "y");
    recorder.reconcile("y"); // a duplicate event writes nothing
    assertEquals(1, Files.readAllLines(recorder.journal()).size() - 1);
  }

  @Test
  void compactsWhenDeadRecordsDominateAndLosesNothing() throws Exception {
    JournalRecorder recorder = open(8);
    for (int i = 0; i < 200; i++) {
      register(recorder, "t" + i);
      if (i % 3 != 0) {
        deregister(recorder, "t" + i);
      }
    }
    Set<String> expected = Set.copyOf(registry);
    assertEquals(expected, onDisk(recorder));
    assertEquals(expected, recorder.live());
    int lines = Files.readAllLines(recorder.journal()).size();
    assertTrue(lines < expected.size() * 2 + 20, "journal was not compacted: " + lines + " lines");
    assertFalse(Files.exists(dir.resolve("journals").resolve(recorder.name() + ".journal.tmp")));
  }

  @Test
  void forgettingEverythingAtShutdownDeletesTheFiles() throws Exception {
    JournalRecorder recorder = open(1000);
    register(recorder, "a");
    register(recorder, "b");
    recorder.forget(List.of("a"));
    assertEquals(Set.of("b"), onDisk(recorder));
    recorder.forget(List.of("b"));
    try (var files = Files.list(dir.resolve("journals"))) {
      assertEquals(0, files.count());
    }
    register(recorder, "c"); // after the end: ignored, never throws
  }

  @Test
  void eachRecorderHasItsOwnFiles() throws Exception {
    JournalRecorder one = open(1000);
    JournalRecorder two = open(1000);
    assertFalse(one.name().equals(two.name()));
  }
}
