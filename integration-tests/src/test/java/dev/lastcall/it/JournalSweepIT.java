package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.TaskView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What no shutdown hook can catch: JVMs killed with SIGKILL (no hook runs), their journals swept by
 * the next JVM's agent or by {@code java -jar lastcall-agent.jar sweep}. Asserts on the emulator's
 * state, never on log wording.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JournalSweepIT {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void thousandTasksOfAKilledJvmAreCancelledByTheNextStart(Transport transport) throws Exception {
    String key = AgentJvm.randomKey();
    Path journal = dir.resolve("journal");
    try (Emulator emulator = JournalJvms.emulator(transport, key)) {
      List<String> trust = EmulatorTrust.jvmOptions(emulator, dir);
      Path ids = JournalJvms.createTasks(emulator, key, 1000, dir.resolve("ids.txt"));
      try (ChildJvm first =
          JournalJvms.startApp(emulator, key, journal, ids, null, "5s", trust, List.of(), null)) {
        assertEquals(1000, first.awaitReady(READY_TIMEOUT));
        first.signal("KILL");
        assertEquals(
            137, first.awaitExit(Duration.ofSeconds(10)), "killed by SIGKILL" + first.describe());
      }
      assertEquals(
          1000,
          emulator.countsByStatus().getOrDefault("processing", 0L),
          "no hook ran, so every task still runs: " + emulator.countsByStatus());
      assertEquals(1, JournalJvms.journals(journal).size());
      // Every file the agent wrote there is owner-only and holds ids, never the key.
      try (var files = Files.list(journal)) {
        for (Path file : files.toList()) {
          assertEquals(
              "rw-------",
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(file)),
              file.toString());
          String text = Files.readString(file);
          assertTrue(
              !text.contains(key.substring(3, 11)), "the journal holds part of the key: " + file);
        }
      }

      Path none = Files.writeString(dir.resolve("none.txt"), "");
      long start = System.nanoTime();
      // A generous bounded wait: the machine running the tests may be busy with other builds.
      try (ChildJvm next =
          JournalJvms.startApp(emulator, key, journal, none, null, "30s", trust, List.of(), null)) {
        next.awaitReady(READY_TIMEOUT);
        awaitStopped(emulator, Set.copyOf(Files.readAllLines(ids)), Duration.ofSeconds(40), next);
        long ms = (System.nanoTime() - start) / 1_000_000;
        OutputOnFailure.note(
            "[it] 1000 tasks of a SIGKILLed JVM stopped by the next start's sweep within %d ms"
                + " of its launch",
            ms);
        awaitStderr(next, "swept 1 journal");
        // The dead journal goes once swept; the new JVM's own stays.
        awaitJournals(journal, 1, next);
      }
      // Every request was an agent's: the tasks were made in-process.
      Scenario.assertTransport(
          "the sweep of a killed JVM's journal", transport, emulator, Scenario.Traffic.NONE);
    }
  }

  @Test
  void killsAtRandomMomentsNeverLeaveARegisteredTaskRunning() throws Exception {
    long seed = Long.getLong("lastcall.it.seed", 0x1A57CA11L);
    Random random = new Random(seed);
    int runs = 20;
    int parallel = 4;
    String key = AgentJvm.randomKey();
    Path journal = dir.resolve("journal");
    List<RunRecord> records = new ArrayList<>();
    long start = System.nanoTime();
    try (Emulator emulator = JournalJvms.emulator(key);
        // One JVM stays alive in the same directory throughout: its journal must come through
        // untouched.
        ChildJvm live =
            JournalJvms.startApp(
                emulator,
                key,
                journal,
                JournalJvms.createTasks(emulator, key, 5, dir.resolve("ids-live.txt")),
                null,
                List.of(),
                null)) {
      assertEquals(5, live.awaitReady(READY_TIMEOUT));
      for (int batch = 0; batch < runs; batch += parallel) {
        List<RandomRun> started = new ArrayList<>();
        for (int i = batch; i < Math.min(runs, batch + parallel); i++) {
          started.add(
              RandomRun.start(emulator, key, journal, dir.resolve("ids-" + i + ".txt"), random, i));
        }
        for (RandomRun run : started) {
          records.add(run.awaitKilled());
        }
      }
      {
        JournalJvms.Cli sweep =
            JournalJvms.cli(
                Map.of("BLACKBOX_API_KEY", key),
                "sweep",
                "--journal",
                journal.toString(),
                "--baseUrl",
                emulator.baseUrl(),
                "--timeout",
                "10s");
        assertEquals(0, sweep.exitCode(), sweep.describe());

        Set<String> mustBeStopped = new HashSet<>();
        Set<String> released = new HashSet<>();
        for (RunRecord record : records) {
          mustBeStopped.addAll(record.stillRegistered());
          released.addAll(record.released());
        }
        List<String> running =
            mustBeStopped.stream()
                .filter(id -> !status(emulator, id).equals("stopped"))
                .sorted()
                .toList();
        assertTrue(
            running.isEmpty(),
            running.size()
                + " tasks whose register had returned still run"
                + " after the sweep (seed "
                + seed
                + "): "
                + running
                + "\n"
                + sweep.describe()
                + "\nin runs: "
                + records.stream()
                    .filter(r -> running.stream().anyMatch(r.stillRegistered()::contains))
                    .map(
                        r ->
                            "pid "
                                + r.pid()
                                + " finished="
                                + r.finished()
                                + " stderr="
                                + r.stderr())
                    .toList());
        List<String> wronglyStopped =
            released.stream()
                .filter(id -> status(emulator, id).equals("stopped"))
                .sorted()
                .toList();
        assertTrue(
            wronglyStopped.isEmpty(),
            "tasks the app had released were cancelled (seed " + seed + "): " + wronglyStopped);
        for (String id : Files.readAllLines(dir.resolve("ids-live.txt"))) {
          assertEquals("processing", status(emulator, id), "a live JVM's task was touched");
        }
        assertEquals(
            1, JournalJvms.journals(journal).size(), "only the live JVM's journal is left");
        assertTrue(live.isAlive());

        long midRegistration = records.stream().filter(r -> !r.finished()).count();
        long midCompaction = records.stream().filter(RunRecord::leftTempFile).count();
        OutputOnFailure.note(
            "[it] %d random kills (seed %d): %d mid-registration, %d left a compaction's temp file;"
                + " %d registered tasks stopped, %d released left alone; sweep JVM %d ms; total %d"
                + " ms",
            runs,
            seed,
            midRegistration,
            midCompaction,
            mustBeStopped.size(),
            released.size(),
            sweep.ms(),
            (System.nanoTime() - start) / 1_000_000);
        assertTrue(midRegistration > 0, "no kill landed mid-registration; adjust the timing");
      }
    }
  }

  /**
   * One app JVM with churn and frequent compaction, killed by its own timer counted from its GO
   * line.
   */
  private record RandomRun(ChildJvm child, CompletableFuture<Boolean> killed) {
    static RandomRun start(
        Emulator emulator, String key, Path journal, Path idsFile, Random random, int index)
        throws Exception {
      int tasks = 10 + random.nextInt(31);
      int pauseMicros = random.nextInt(1500);
      int compactAfter = 1 + random.nextInt(4);
      // Mostly within the registrations; sometimes just before the first, or after the last.
      long span = (long) tasks * (pauseMicros + 100);
      long killAfterMicros = (long) (random.nextDouble() * span * 1.2);
      JournalJvms.createTasks(emulator, key, tasks, idsFile);
      CompletableFuture<Void> go = new CompletableFuture<>();
      ChildJvm child =
          JournalJvms.startApp(
              emulator,
              key,
              journal,
              idsFile,
              compactAfter,
              List.of(
                  "--churn",
                  Long.toString(random.nextLong()),
                  "--pause-micros",
                  Integer.toString(pauseMicros)),
              line -> {
                if (line.equals("GO")) {
                  go.complete(null);
                }
              });
      // The kill comes from a thread of its own, so that runs in the same batch do not wait for
      // each other.
      CompletableFuture<Boolean> killed =
          go.thenApplyAsync(
              ignored -> {
                try {
                  TimeUnit.MICROSECONDS.sleep(killAfterMicros);
                  child.signal("KILL");
                  child.awaitExit(Duration.ofSeconds(10));
                  return leftTemp(journal, child.pid());
                } catch (Exception e) {
                  throw new IllegalStateException("run " + index + ": " + e, e);
                }
              },
              runnable -> new Thread(runnable, "killer-" + index).start());
      return new RandomRun(child, killed);
    }

    RunRecord awaitKilled() throws Exception {
      try (child) {
        boolean leftTemp;
        try {
          leftTemp = killed.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          throw new IllegalStateException(
              "the app never said GO or was not killed" + child.describe(), e);
        }
        Set<String> registered = new LinkedHashSet<>();
        Set<String> closing = new LinkedHashSet<>();
        Set<String> released = new LinkedHashSet<>();
        boolean finished = false;
        for (String line : child.stdout()) {
          if (line.startsWith("R ")) {
            registered.add(line.substring(2));
          } else if (line.startsWith("C ")) {
            closing.add(line.substring(2));
          } else if (line.startsWith("D ")) {
            released.add(line.substring(2));
          } else if (line.startsWith("READY ")) {
            finished = true;
          }
        }
        // A close() the kill interrupted may or may not have been recorded; both are right.
        registered.removeAll(closing);
        return new RunRecord(registered, released, finished, leftTemp, child.pid(), child.stderr());
      }
    }

    /** A compaction's temp file of this JVM, right after the kill: it died mid-compaction. */
    private static boolean leftTemp(Path journal, long pid) throws java.io.IOException {
      try (var entries = Files.list(journal)) {
        return entries
            .map(p -> p.getFileName().toString())
            .anyMatch(n -> n.startsWith("lastcall-" + pid + "-") && n.endsWith(".tmp"));
      }
    }
  }

  private record RunRecord(
      Set<String> stillRegistered,
      Set<String> released,
      boolean finished,
      boolean leftTempFile,
      long pid,
      List<String> stderr) {}

  private static String status(Emulator emulator, String id) {
    return emulator.task(id).map(TaskView::status).orElse("missing");
  }

  private static void awaitStopped(
      Emulator emulator, Set<String> ids, Duration timeout, ChildJvm jvm)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      long running = ids.stream().filter(id -> !status(emulator, id).equals("stopped")).count();
      if (running == 0) {
        return;
      }
      if (System.nanoTime() > end) {
        fail(
            running
                + " of "
                + ids.size()
                + " tasks still not stopped after "
                + timeout
                + ": "
                + emulator.countsByStatus()
                + jvm.describe());
      }
      Thread.sleep(50);
    }
  }

  private static void awaitStderr(ChildJvm jvm, String text) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (jvm.stderr().stream().noneMatch(line -> line.contains(text))) {
      if (System.nanoTime() > end) {
        fail("no stderr line containing '" + text + "'" + jvm.describe());
      }
      Thread.sleep(20);
    }
  }

  private static void awaitJournals(Path journal, int expected, ChildJvm jvm) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (JournalJvms.journals(journal).size() != expected) {
      if (System.nanoTime() > end) {
        fail(
            "expected "
                + expected
                + " journal(s), found "
                + JournalJvms.journals(journal)
                + jvm.describe());
      }
      Thread.sleep(50);
    }
  }
}
