package dev.lastcall.journal.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRegistry;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.journal.CrashJournal;
import dev.lastcall.agent.journal.JournalSweeper;
import dev.lastcall.agent.journal.Journals;
import dev.lastcall.agent.journal.SweepResult;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.testsupport.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis journal in this JVM against a real {@code redis-server}: what a registration leaves in
 * Redis, a clean shutdown, a crash and its sweep, two sweepers racing, Redis unreachable at start
 * and restarted empty under a JVM.
 */
class RedisJournalTest {
  @TempDir Path dir;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<CrashJournal> journals = new ArrayList<>();
  private RedisServer redis;
  private String password; // the server's, for this test's own reads

  @BeforeEach
  void captureLines() {
    AgentLog.sendTo(lines::add);
  }

  @AfterEach
  void tidy() {
    journals.forEach(CrashJournal::close);
    for (String id : TaskRegistry.global().snapshot()) {
      TaskRegistry.global().deregister(id);
    }
    AgentLog.sendToStderr();
    if (redis != null) {
      redis.close();
    }
  }

  private static AgentConfig config(String url, String... more) {
    Properties properties = new Properties();
    properties.setProperty("lastcall.journal", url);
    properties.setProperty("lastcall.leaseTtl", "1s");
    for (int i = 0; i < more.length; i += 2) {
      properties.setProperty("lastcall." + more[i], more[i + 1]);
    }
    List<String> problems = new ArrayList<>();
    AgentConfig config = ConfigLoader.load(null, properties, Map.of(), p -> problems.add(p.line()));
    assertEquals(List.of(), problems);
    return config;
  }

  private CrashJournal open(AgentConfig config) {
    CrashJournal journal = Journals.open(config, SharedRegistry.connect());
    journals.add(journal);
    journal.start();
    return journal;
  }

  private static void register(String... ids) {
    for (String id : ids) {
      TaskRegistry.global().register(id);
    }
  }

  /** The JVM ids in the index with their recorded tasks. */
  private Map<String, Set<String>> records() throws IOException {
    try (var jedis = new redis.clients.jedis.Jedis("127.0.0.1", redis.port())) {
      if (password != null) {
        jedis.auth(password);
      }
      Map<String, Set<String>> out = new java.util.TreeMap<>();
      for (String jvm : jedis.smembers(RedisKeys.JVMS)) {
        out.put(jvm, jedis.smembers(RedisKeys.tasks(jvm)));
      }
      return out;
    }
  }

  private Set<String> recorded() throws IOException {
    Set<String> all = new HashSet<>();
    records().values().forEach(all::addAll);
    return all;
  }

  /** Polls a condition on what Redis holds, bounded: the journal's thread writes on its own. */
  private static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // A poll, bounded above.
    }
  }

  private BooleanSupplier recordedIs(Set<String> expected) {
    return () -> {
      try {
        return recorded().equals(expected);
      } catch (IOException | RuntimeException e) {
        return false;
      }
    };
  }

  private BooleanSupplier leaseGone() {
    return () -> {
      try {
        return redis.command("KEYS", "lastcall:*:lease").equals("*0");
      } catch (IOException e) {
        return false;
      }
    };
  }

  /** A canceller that stops every id but those in {@code failing}, and remembers what it got. */
  private static final class FakeCancel
      implements dev.lastcall.agent.journal.JournalSweep.Canceller {
    final List<String> got = Collections.synchronizedList(new ArrayList<>());
    final Set<String> failing;

    FakeCancel(String... failing) {
      this.failing = Set.of(failing);
    }

    @Override
    public CancelReport cancel(Collection<String> ids) {
      got.addAll(ids);
      List<TaskOutcome> tasks = new ArrayList<>();
      for (String id : ids) {
        tasks.add(
            new TaskOutcome(
                id,
                failing.contains(id) ? Outcome.TIMED_OUT : Outcome.STOPPED,
                1,
                Duration.ZERO,
                "test"));
      }
      return CancelReport.of(Duration.ofSeconds(1), Duration.ZERO, tasks);
    }
  }

  private static CancelReport allStopped(Collection<String> ids) {
    return new FakeCancel().cancel(ids);
  }

  @Test
  void registrationsAreRecordedAndACleanShutdownLeavesNothing() throws Exception {
    redis = RedisServer.start(dir);
    CrashJournal journal = open(config(redis.url()));
    register("t-1", "t-2", "t-3");
    await("three are recorded", recordedIs(Set.of("t-1", "t-2", "t-3")));
    TaskRegistry.global().deregister("t-2");
    await("t-2 is forgotten", recordedIs(Set.of("t-1", "t-3")));
    assertEquals(1, records().size(), "one JVM, one lease");

    journal.afterShutdownCancel(allStopped(List.of("t-1", "t-3")));
    assertEquals("*0", redis.command("KEYS", "lastcall:*"), "a clean exit leaves no key");
    assertEquals(List.of(), lines);
  }

  @Test
  void aCrashedJvmsTasksAreSweptOnceItsLeaseExpiresAndNotBefore() throws Exception {
    redis = RedisServer.start(dir);
    AgentConfig config = config(redis.url());
    CrashJournal crashed = open(config);
    register("a-1", "a-2", "a-3");
    await("recorded", recordedIs(Set.of("a-1", "a-2", "a-3")));

    FakeCancel cancel = new FakeCancel("a-3");
    try (JournalSweeper sweeper = Journals.sweeper(config)) {
      SweepResult whileAlive = sweeper.sweep(cancel);
      assertEquals(0, whileAlive.journalsSwept());
      assertEquals(1, whileAlive.journalsInUse());
      assertEquals(List.of(), cancel.got, "a live lease is never touched");

      crashed.close(); // its writer stops: no more renewals, as after SIGKILL
      await("the lease expired", leaseGone());
      SweepResult first = sweeper.sweep(cancel);
      assertEquals(1, first.journalsSwept());
      assertEquals(Set.of("a-1", "a-2", "a-3"), new HashSet<>(cancel.got));
      assertEquals(1, first.tasksLeft(), "a-3 timed out: kept for the next sweep");
      assertEquals(Set.of("a-3"), recorded());

      SweepResult second = sweeper.sweep(new FakeCancel());
      assertEquals(0, second.tasksLeft());
      assertTrue(second.clean());
      assertEquals("*0", redis.command("KEYS", "lastcall:*"));
    }
  }

  @Test
  void twoSweepersRacingClaimEachGoneJvmExactlyOnce() throws Exception {
    redis = RedisServer.start(dir);
    Set<String> all = new HashSet<>();
    for (int jvm = 0; jvm < 40; jvm++) {
      redis.command("SADD", RedisKeys.JVMS, "jvm" + jvm);
      for (int t = 0; t < 5; t++) {
        String id = "j" + jvm + "-t" + t;
        redis.command("SADD", RedisKeys.tasks("jvm" + jvm), id);
        all.add(id);
      }
    }
    AgentConfig config = config(redis.url());
    CountDownLatch start = new CountDownLatch(1);
    List<FakeCancel> cancels = List.of(new FakeCancel(), new FakeCancel());
    List<SweepResult> results = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (FakeCancel cancel : cancels) {
      Thread thread =
          new Thread(
              () -> {
                try (JournalSweeper sweeper = Journals.sweeper(config)) {
                  start.await();
                  results.add(sweeper.sweep(cancel));
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
      assertFalse(thread.isAlive());
    }
    assertEquals(2, results.size());
    Set<String> first = new HashSet<>(cancels.get(0).got);
    Set<String> second = new HashSet<>(cancels.get(1).got);
    assertEquals(all.size(), first.size() + second.size(), "no task cancelled twice");
    first.addAll(second);
    assertEquals(all, first, "every task cancelled once");
    assertEquals(40, results.get(0).journalsSwept() + results.get(1).journalsSwept());
    assertEquals("*0", redis.command("KEYS", "lastcall:*"));
  }

  @Test
  void redisUnreachableAtStartSaysSoOnceAndRecordsWhenItAnswers() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    open(config("redis://127.0.0.1:" + port));
    register("u-1", "u-2");
    await("the outage is said", () -> !lines.isEmpty());
    redis = RedisServer.startOn(port, dir);
    await("both are recorded once Redis answers", recordedIs(Set.of("u-1", "u-2")));
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("does not answer"), lines.get(0));
    assertTrue(lines.get(1).contains("answers again"), lines.get(1));
  }

  @Test
  void aRedisRestartedEmptyGetsEveryLiveTaskAgainUnderANewLease() throws Exception {
    password = "pw-in-url";
    redis = RedisServer.start(dir, "--requirepass", password);
    open(config("redis://:pw-in-url@127.0.0.1:" + redis.port()));
    register("r-1", "r-2");
    await("recorded", recordedIs(Set.of("r-1", "r-2")));
    String before = records().keySet().iterator().next();
    redis = redis.restart();
    register("r-3");
    await("recorded again", recordedIs(Set.of("r-1", "r-2", "r-3")));
    assertFalse(records().containsKey(before), "a new lease");
    assertTrue(
        lines.stream().anyMatch(l -> l.contains("lease") && l.contains("expired")),
        lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains("pw-in-url")), lines.toString());
  }

  @Test
  void thePasswordMayComeFromAFile() throws Exception {
    password = "pw-in-file";
    redis = RedisServer.start(dir, "--requirepass", password);
    Path file = dir.resolve("redis-password");
    Files.writeString(file, "pw-in-file\n");
    open(config(redis.url(), "journalPasswordFile", file.toString()));
    register("p-1");
    await("recorded", recordedIs(Set.of("p-1")));
    assertEquals(List.of(), lines);
  }

  @Test
  void rediss_overTlsTrustingTheCaFile() throws Exception {
    var ca = dev.lastcall.emulator.tls.TestCertificates.authority();
    var server = ca.issueForLocalhost().writePem(dir, "redis");
    Path caPem = ca.writePem(dir.resolve("ca.pem"));
    int tlsPort;
    try (ServerSocket free = new ServerSocket(0)) {
      tlsPort = free.getLocalPort();
    }
    redis =
        RedisServer.start(
            dir,
            "--tls-port",
            Integer.toString(tlsPort),
            "--tls-cert-file",
            server.certificateChain().toString(),
            "--tls-key-file",
            server.privateKey().toString(),
            "--tls-ca-cert-file",
            caPem.toString(),
            "--tls-auth-clients",
            "no");
    open(config("rediss://127.0.0.1:" + tlsPort, "caFile", caPem.toString()));
    register("s-1");
    await("recorded over TLS", recordedIs(Set.of("s-1")));
    assertEquals(List.of(), lines);
  }
}
