package dev.lastcall.agent.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalSweepTest {
  @TempDir Path dir;
  private final List<Collection<String>> cancelled = new ArrayList<>();

  /** A journal and unlocked lock file, as a killed JVM leaves them. */
  private JournalFiles deadJournal(String name, String text) throws Exception {
    JournalFiles files = new JournalFiles(dir, name);
    Files.writeString(files.lock(), "");
    Files.write(files.journal(), text.getBytes(StandardCharsets.UTF_8));
    return files;
  }

  private JournalSweep.Canceller answering(Map<String, Outcome> outcomes) {
    return ids -> {
      cancelled.add(List.copyOf(ids));
      List<TaskOutcome> tasks = new ArrayList<>();
      for (String id : ids) {
        tasks.add(
            new TaskOutcome(
                id, outcomes.getOrDefault(id, Outcome.STOPPED), 1, Duration.ZERO, "test"));
      }
      return CancelReport.of(Duration.ofSeconds(1), Duration.ZERO, tasks);
    };
  }

  @Test
  void cancelsTheLiveTasksOfDeadJournalsAndDeletesThem() throws Exception {
    JournalFiles one = deadJournal("lastcall-1-a", "lastcall-journal 1\n+a\n+b\n-a\n+c\n+tor");
    JournalFiles two = deadJournal("lastcall-2-b", "lastcall-journal 1\n+d\n");
    SweepResult result = JournalSweep.run(dir, null, answering(Map.of()));
    assertEquals(1, cancelled.size(), "one bounded cancel for all journals");
    assertEquals(Set.of("b", "c", "d"), Set.copyOf(cancelled.get(0)));
    assertEquals(2, result.journalsSwept());
    assertTrue(result.clean());
    for (JournalFiles files : List.of(one, two)) {
      assertFalse(Files.exists(files.journal()));
      assertFalse(Files.exists(files.lock()));
    }
  }

  @Test
  void keepsWhatWasNotConfirmedForTheNextSweep() throws Exception {
    JournalFiles files = deadJournal("lastcall-1-a", "lastcall-journal 1\n+a\n+b\n+c\n+d\n");
    SweepResult result =
        JournalSweep.run(
            dir,
            null,
            answering(
                Map.of(
                    "a",
                    Outcome.TIMED_OUT,
                    "b",
                    Outcome.NOT_FOUND,
                    "c",
                    Outcome.ALREADY_DONE,
                    "d",
                    Outcome.FAILED)));
    assertEquals(2, result.tasksLeft());
    assertEquals(Set.of("a", "d"), JournalFormat.parse(Files.readAllBytes(files.journal())).live());
    assertTrue(Files.exists(files.lock()));
    cancelled.clear();
    JournalSweep.run(dir, null, answering(Map.of()));
    assertEquals(Set.of("a", "d"), Set.copyOf(cancelled.get(0)));
    assertFalse(Files.exists(files.journal()));
  }

  @Test
  void neverTouchesALockedJournalOrItsOwn() throws Exception {
    Set<String> registry = ConcurrentHashMap.newKeySet();
    JournalRecorder live = JournalRecorder.open(dir, registry::contains, 100, line -> {});
    registry.add("mine");
    live.reconcile("mine");
    JournalRecorder other = JournalRecorder.open(dir, registry::contains, 100, line -> {});
    other.reconcile("mine");
    byte[] before = Files.readAllBytes(other.journal());

    SweepResult result = JournalSweep.run(dir, live.name(), answering(Map.of()));
    assertTrue(cancelled.isEmpty(), "nothing may be cancelled: " + cancelled);
    assertEquals(0, result.journalsSwept());
    assertEquals(1, result.journalsInUse(), "the other journal is locked");
    assertEquals(
        new String(before, StandardCharsets.UTF_8),
        new String(Files.readAllBytes(other.journal()), StandardCharsets.UTF_8));
  }

  @Test
  void leavesUnreadableJournalsAndTidiesOrphanLockFiles() throws Exception {
    JournalFiles future = deadJournal("lastcall-1-a", "lastcall-journal 9\n+a\n");
    Path orphanLock = dir.resolve("lastcall-3-c.lock");
    Files.writeString(orphanLock, "");
    Path staleTemp = dir.resolve("lastcall-3-c.journal.tmp");
    Files.writeString(staleTemp, "lastcall-journal 1\n+x\n");
    SweepResult result = JournalSweep.run(dir, null, answering(Map.of()));
    assertTrue(cancelled.isEmpty());
    assertTrue(Files.exists(future.journal()));
    assertEquals(1, result.notes().size(), result.notes().toString());
    assertFalse(Files.exists(orphanLock));
    assertFalse(Files.exists(staleTemp));
  }

  @Test
  void aKillMidCompactionLeavesTheOldJournalWhole() throws Exception {
    // Killed after writing the temp file, before the rename: the journal is the complete old one.
    JournalFiles files = deadJournal("lastcall-1-a", "lastcall-journal 1\n+a\n+b\n-b\n");
    Files.writeString(files.temp(), "lastcall-journal 1\n+a");
    JournalSweep.run(dir, null, answering(Map.of()));
    assertEquals(Set.of("a"), Set.copyOf(cancelled.get(0)));
    assertFalse(Files.exists(files.temp()));
  }

  @Test
  void aJournalWithoutALockFileIsLeftAlone() throws Exception {
    JournalFiles files = new JournalFiles(dir, "lastcall-1-a");
    Files.writeString(files.journal(), "lastcall-journal 1\n+a\n");
    SweepResult result = JournalSweep.run(dir, null, answering(Map.of()));
    assertTrue(cancelled.isEmpty());
    assertTrue(Files.exists(files.journal()));
    assertEquals(1, result.notes().size());
  }
}
