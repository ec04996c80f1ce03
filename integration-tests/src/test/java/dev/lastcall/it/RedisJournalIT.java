package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.TaskView;
import dev.lastcall.testsupport.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis journal ({@code journal=redis://...}) with real JVMs, a real {@code redis-server} and
 * real SIGKILLs: a fleet whose killed members' tasks one sweep stops, and no live member's; {@code
 * sweep --watch}; Redis unreachable at start. Asserts on the emulator's task states and on Redis's
 * keys; every child's output is scanned for the API key and the Redis password.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RedisJournalIT {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final String LEASE_TTL = "2s";

  @TempDir Path dir;

  private static String randomHex() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String status(Emulator emulator, String id) {
    return emulator.task(id).map(TaskView::status).orElse("missing");
  }

  private static int leases(RedisServer redis) throws IOException {
    return Integer.parseInt(redis.command("KEYS", "lastcall:*:lease").substring(1));
  }

  private static void await(String what, Duration bound, BooleanSupplier done, ChildJvm... jvms)
      throws InterruptedException {
    long end = System.nanoTime() + bound.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        StringBuilder out = new StringBuilder("timed out waiting until " + what);
        for (ChildJvm jvm : jvms) {
          out.append(jvm.describe());
        }
        fail(out.toString());
      }
      Thread.sleep(20); // a poll of the emulator or Redis, bounded above
    }
  }

  /** One fleet member: its ids, its kill (if chosen) and what it printed. */
  private record Member(ChildJvm child, List<String> ids, CompletableFuture<Void> killed) {
    /** The ids whose register had returned (its R lines). */
    Set<String> registered() {
      Set<String> out = new LinkedHashSet<>();
      for (String line : child.stdout()) {
        if (line.startsWith("R ")) {
          out.add(line.substring(2));
        }
      }
      return out;
    }
  }

  @Test
  void aFleetOf8JvmsWith500TasksEach4KilledOneSweepStopsExactlyTheKilledOnesTasks()
      throws Exception {
    long seed = Long.getLong("lastcall.it.seed", 0x2ED15L);
    Random random = new Random(seed);
    String key = AgentJvm.randomKey();
    String password = randomHex();
    Path passwordFile = Files.writeString(dir.resolve("redis-password"), password + "\n");
    Path redisDir = Files.createDirectories(dir.resolve("redis"));
    try (RedisServer redis = RedisServer.start(redisDir, "--requirepass", password);
        Emulator emulator = JournalJvms.emulator(key)) {
      String agentArgs =
          "journal="
              + redis.url()
              + ",leaseTtl="
              + LEASE_TTL
              + ",journalPasswordFile="
              + passwordFile;
      Set<Integer> killedIndexes = new LinkedHashSet<>();
      while (killedIndexes.size() < 4) {
        killedIndexes.add(random.nextInt(8));
      }
      List<Member> members = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Path ids = JournalJvms.createTasks(emulator, key, 500, dir.resolve("ids-" + i + ".txt"));
          CompletableFuture<Void> go = new CompletableFuture<>();
          ChildJvm child =
              RedisJournalJvms.startApp(
                  emulator,
                  key,
                  password,
                  agentArgs,
                  // Eight JVMs starting at once on a small shared machine stall their threads for
                  // longer than the default 50 ms: this test is about what is recorded, so every
                  // registration waits for its record (RegistrationQueueTest proves the bound).
                  List.of("-Ddev.lastcall.journal.recordWaitMillis=20000"),
                  ids,
                  List.of("--pause-micros", "200"),
                  line -> {
                    if (line.startsWith("R ")) { // its journal is open: the first was recorded
                      go.complete(null);
                    }
                  });
          CompletableFuture<Void> killed = null;
          if (killedIndexes.contains(i)) {
            // Somewhere in its 500 registrations (about 0.1 to 0.3 s), or just after them.
            long killAfterMicros = (long) (random.nextDouble() * 250_000);
            killed =
                go.thenRunAsync(
                    () -> {
                      try {
                        TimeUnit.MICROSECONDS.sleep(killAfterMicros);
                        child.signal("KILL");
                        child.awaitExit(Duration.ofSeconds(30));
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    },
                    runnable -> new Thread(runnable, "killer").start());
          }
          members.add(new Member(child, Files.readAllLines(ids), killed));
        }
        for (Member member : members) {
          if (member.killed() != null) {
            member.killed().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
          } else {
            assertEquals(500, member.child().awaitReady(READY_TIMEOUT));
          }
        }
        // The killed JVMs' leases expire within leaseTtl; the live ones' are renewed.
        await(
            "only the 4 live JVMs hold leases",
            Duration.ofSeconds(30),
            () -> {
              try {
                return leases(redis) == 4;
              } catch (IOException e) {
                return false;
              }
            });

        // One sweep, from another working directory, with the password in the environment only.
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        JournalJvms.Cli sweep =
            JournalJvms.cli(
                List.of("-Duser.dir=" + elsewhere),
                Map.of(
                    "BLACKBOX_API_KEY",
                    key,
                    "LASTCALL_JOURNAL",
                    "redis://:" + password + "@127.0.0.1:" + redis.port()),
                "sweep",
                "--baseUrl",
                emulator.baseUrl(),
                "--timeout",
                "20s");
        SecretScan.trackText(key, "the sweep's output", sweep.describe());
        SecretScan.trackText(password, "the sweep's output", sweep.describe());
        assertEquals(0, sweep.exitCode(), sweep.describe());

        int stopped = 0;
        for (int i = 0; i < 8; i++) {
          Member member = members.get(i);
          if (member.killed() != null) {
            Set<String> registered = member.registered();
            for (String id : registered) {
              assertEquals(
                  "stopped",
                  status(emulator, id),
                  "a killed JVM's registered task still runs (seed " + seed + ")");
              stopped++;
            }
            // Ids never handed to register stay untouched; the one in flight may go either way.
            List<String> never =
                member
                    .ids()
                    .subList(
                        Math.min(member.ids().size(), registered.size() + 1), member.ids().size());
            for (String id : never) {
              assertEquals("processing", status(emulator, id), "never registered, yet stopped");
            }
          } else {
            for (String id : member.ids()) {
              assertEquals("processing", status(emulator, id), "a live JVM's task was touched");
            }
            assertTrue(member.child().isAlive());
          }
        }
        assertEquals(4, leases(redis), "the live JVMs' leases are untouched");
        assertEquals(":4", redis.command("SCARD", "lastcall:jvms"), "only the live JVMs are left");
        OutputOnFailure.note(
            "[it] fleet of 8 x 500 on Redis, 4 killed (seed %d): %d registered tasks of the killed"
                + " JVMs stopped by one sweep in %d ms; 2000 live tasks untouched",
            seed, stopped, sweep.ms());
      } finally {
        for (Member member : members) {
          member.child().close();
        }
      }
    }
  }

  @Test
  void sweepWatchStopsAKilledJvmsTasksAndExitsCleanlyOnSigterm() throws Exception {
    String key = AgentJvm.randomKey();
    Path redisDir = Files.createDirectories(dir.resolve("redis"));
    try (RedisServer redis = RedisServer.start(redisDir);
        Emulator emulator = JournalJvms.emulator(key);
        ChildJvm watch =
            RedisJournalJvms.startWatch(
                Map.of("BLACKBOX_API_KEY", key),
                null,
                "--journal",
                redis.url(),
                "--leaseTtl",
                LEASE_TTL,
                "--every",
                "500ms",
                "--baseUrl",
                emulator.baseUrl(),
                "--timeout",
                "10s")) {
      watch.awaitStdoutLine("lastcall: sweeping", READY_TIMEOUT);
      Path ids = JournalJvms.createTasks(emulator, key, 50, dir.resolve("ids.txt"));
      List<String> all = Files.readAllLines(ids);
      try (ChildJvm app =
          RedisJournalJvms.startApp(
              emulator,
              key,
              null,
              "journal=" + redis.url() + ",leaseTtl=" + LEASE_TTL,
              List.of(),
              ids,
              List.of(),
              null)) {
        assertEquals(50, app.awaitReady(READY_TIMEOUT));
        for (String id : all) {
          assertEquals("processing", status(emulator, id), "a live JVM's task was swept");
        }
        app.signal("KILL");
        app.awaitExit(Duration.ofSeconds(30));
        long killed = System.nanoTime();
        // leaseTtl (2 s) + --every (0.5 s) + the sweep's cancel (timeout 10 s), with room to spare
        await(
            "the watch stops the killed JVM's tasks",
            Duration.ofSeconds(40),
            () -> all.stream().allMatch(id -> status(emulator, id).equals("stopped")),
            watch);
        OutputOnFailure.note(
            "[it] sweep --watch (leaseTtl %s, every 500ms) stopped a SIGKILLed JVM's 50 tasks %d ms"
                + " after the kill",
            LEASE_TTL, (System.nanoTime() - killed) / 1_000_000);
      }
      watch.signal("TERM");
      assertEquals(143, watch.awaitExit(Duration.ofSeconds(30)), watch.describe());
      assertEquals("*0", redis.command("KEYS", "lastcall:*"), "nothing left, no claim held");
    }
  }

  @Test
  void redisUnreachableAtStartTheAppRunsSaysSoOnceAndTheHookStillCancels() throws Exception {
    String key = AgentJvm.randomKey();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (Emulator emulator = JournalJvms.emulator(key)) {
      Path ids = JournalJvms.createTasks(emulator, key, 20, dir.resolve("ids.txt"));
      try (ChildJvm app =
          RedisJournalJvms.startApp(
              emulator,
              key,
              null,
              "journal=redis://127.0.0.1:" + port + ",leaseTtl=" + LEASE_TTL,
              List.of(),
              ids,
              List.of(),
              null)) {
        assertEquals(20, app.awaitReady(READY_TIMEOUT));
        app.signal("TERM");
        app.awaitExit(Duration.ofSeconds(30));
        for (String id : Files.readAllLines(ids)) {
          assertEquals("stopped", status(emulator, id), "the hook cancels without Redis");
        }
        long journalLines =
            app.stderr().stream()
                .filter(l -> l.startsWith("lastcall: ") && l.contains("Redis journal"))
                .count();
        assertEquals(1, journalLines, "one line about the journal" + app.describe());
        assertFalse(Files.exists(Path.of("redis:")), "no directory named redis:");
      }
    }
  }

  @Test
  void redisRestartedEmptyWhileJvmsRegisterLosesNothingOnceItIsBack() throws Exception {
    String key = AgentJvm.randomKey();
    Path redisDir = Files.createDirectories(dir.resolve("redis"));
    RedisServer redis = RedisServer.start(redisDir);
    try (Emulator emulator = JournalJvms.emulator(key)) {
      List<ChildJvm> apps = new ArrayList<>();
      List<CompletableFuture<Void>> halfway = new ArrayList<>();
      List<Path> idFiles = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          Path ids = JournalJvms.createTasks(emulator, key, 200, dir.resolve("ids-" + i + ".txt"));
          idFiles.add(ids);
          CompletableFuture<Void> half = new CompletableFuture<>();
          halfway.add(half);
          String hundredth = Files.readAllLines(ids).get(99);
          apps.add(
              RedisJournalJvms.startApp(
                  emulator,
                  key,
                  null,
                  "journal=" + redis.url() + ",leaseTtl=" + LEASE_TTL,
                  List.of("-Ddev.lastcall.journal.recordWaitMillis=20000"),
                  ids,
                  List.of("--pause-micros", "10000"), // 200 registrations over about 2 s
                  line -> {
                    if (line.equals("R " + hundredth)) {
                      half.complete(null);
                    }
                  }));
        }
        for (CompletableFuture<Void> half : halfway) {
          half.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        redis = redis.restart(); // empty: every lease and record is gone while they register
        for (ChildJvm app : apps) {
          assertEquals(200, app.awaitReady(READY_TIMEOUT));
        }
        RedisServer restarted = redis;
        await(
            "both JVMs hold a new lease",
            Duration.ofSeconds(30),
            () -> {
              try {
                return leases(restarted) == 2
                    && restarted.command("SCARD", "lastcall:jvms").equals(":2");
              } catch (IOException e) {
                return false;
              }
            });
        for (ChildJvm app : apps) {
          app.signal("KILL");
          app.awaitExit(Duration.ofSeconds(30));
        }
        await(
            "the killed JVMs' leases expire",
            Duration.ofSeconds(30),
            () -> {
              try {
                return leases(restarted) == 0;
              } catch (IOException e) {
                return false;
              }
            });
        JournalJvms.Cli sweep =
            JournalJvms.cli(
                Map.of("BLACKBOX_API_KEY", key),
                "sweep",
                "--journal",
                redis.url(),
                "--baseUrl",
                emulator.baseUrl(),
                "--timeout",
                "20s");
        SecretScan.trackText(key, "the sweep's output", sweep.describe());
        assertEquals(0, sweep.exitCode(), sweep.describe());
        for (Path ids : idFiles) {
          for (String id : Files.readAllLines(ids)) {
            assertEquals("stopped", status(emulator, id), "a task registered around the restart");
          }
        }
      } finally {
        for (ChildJvm app : apps) {
          app.close();
        }
      }
    } finally {
      redis.close();
    }
  }
}
