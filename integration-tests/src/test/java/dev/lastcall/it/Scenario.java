package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.Faults;
import dev.lastcall.emulator.TaskView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * The one runner of real-JVM scenarios: one run of the app under the agent (start, READY, signal,
 * exit, report), and the three promises checked after it: (a) the JVM exits by the deadline plus
 * {@link #EXIT_MARGIN_MS}, (b) the report has exactly one entry per registered task, (c) each entry
 * agrees with the emulator's record of the task.
 *
 * <h2>Which scenarios run over both transports</h2>
 *
 * <p>The emulator fixture takes a {@link Transport}: plain HTTP/1.1, or HTTPS where ALPN offers h2.
 * The rule: <b>a scenario runs over both when what it proves rests on how the agent's requests
 * reach the server</b>, that is on connections being opened, shared, retried on or abandoned at
 * shutdown; and over HTTPS+HTTP/2 it also proves the agent really spoke h2 ({@link
 * #assertTransport}). So both run: every way of stopping (SIGTERM with 300 tasks, SIGINT,
 * System.exit, exit from several threads, the child-first class loader: each starts the TLS and h2
 * machinery on another thread or under another context class loader, at the moment of shutdown);
 * tasks pending at the signal (the same streams polled until the tasks start); a server that never
 * answers (hung streams on a shared connection against the deadline); the 5xx and 429 storms
 * (retries on that connection, {@code Retry-After} as an h2 header); the 10,000-task load (128
 * concurrent streams a connection instead of a pool of sockets); the journal sweep of a killed JVM
 * and the command line (other JVMs, whose client is built at another moment). Three h2 runs signal
 * only once the agent has its warm connection ({@link #assumeWarmH2Connection}): the two of
 * hundreds of concurrent cancels (SIGTERM with 300 tasks, the 10,000-task load) and the server that
 * stops answering (a fresh JVM's first TLS handshake can take longer than its 2 s deadline on a
 * busy machine, and the run would then prove nothing about h2).
 *
 * <p>Plain only, where the transport cannot change the outcome, or where the other transport would
 * only repeat what the runs above prove: bad input and configuration ({@code BadInputIT}),
 * premain's class loading ({@code PremainDisciplineIT}), registrations racing the signal, tasks
 * finishing by themselves around it and tasks pending past the deadline (the registry and the state
 * machine; the transport is covered by the pending-at-the-signal run), time limits and cancel on
 * demand (the same client and cancel as the hook), random kills of journaled JVMs (the journal's
 * files), secrets in thread dumps, the logging framework's hooks, the run without the agent (the
 * control), the command line's usage errors (no network), and the raw-socket faults of {@code
 * NetworkFaultsIT} (servers that speak no TLS; TLS failures are the trust tests'). So the h2 runs
 * are 15 of the 66 integration tests and add about a minute to the suite on the 2-core machine (the
 * sum of the IT classes' times: 157 s before, 215 s after, three h2 runs skipped without a warm
 * connection), not a doubling.
 */
final class Scenario {
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How much later than the agent's {@code timeout} the parent may see the JVM exit, counted from
   * just before the signal is sent.
   *
   * <p>Where the time goes, measured on the 2-core machine with the [fault] notes of each run
   * (signal to exit, the report's durationMs, and {@link #hookToExitMs}): the signal reaches the
   * hook in about 10 ms; the agent's cancel ends up to 100 ms before its deadline (it keeps that
   * back to print and write the report); the report is written; then the JVM tears down (the other
   * hooks, halt) and the parent reaps it, 20-50 ms. So with the machine to itself a run that hits
   * its deadline exits 40-80 ms <em>before</em> it (2 s deadline: 1919-1962 ms; 5 s: 4943-4951 ms,
   * JDK 17 and 25 alike), and 250 ms would hold. With the machine shared by other builds and
   * benchmarks (load average 12-20 on 2 cores) the same runs overshot by up to 276 ms: signal to
   * hook up to 170 ms, hook to exit up to 750 ms in the worst run. 500 ms covers that and still
   * proves the wait is bounded: a hook that ignored its deadline would overshoot by seconds here
   * (the servers in these tests never answer).
   */
  static final long EXIT_MARGIN_MS = 500;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Scenario() {}

  /** A plain HTTP/1.1 emulator with the given life cycle, no faults, accepting only {@code key}. */
  static Emulator emulator(String key, Duration pendingFor, Duration processingFor)
      throws IOException {
    return emulator(Transport.PLAIN, key, pendingFor, processingFor);
  }

  /**
   * An emulator over {@code transport} with the given life cycle, no faults, accepting only {@code
   * key}. A child JVM trusts it through {@link AgentJvm#talksTo} (or {@link EmulatorTrust}).
   */
  static Emulator emulator(
      Transport transport, String key, Duration pendingFor, Duration processingFor)
      throws IOException {
    return transport
        .apply(Emulator.builder())
        .host("127.0.0.1")
        .port(0)
        .apiKey(key)
        .pendingFor(pendingFor)
        .processingFor(processingFor)
        .savingFor(Duration.ofMillis(100))
        .faults(Faults.none())
        .start();
  }

  /** {@code n} made-up, valid task ids, written one a line to {@code file}. */
  static List<String> fakeIds(Path file, int n) throws IOException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("fault" + i + "x" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
    }
    Files.write(file, ids);
    return ids;
  }

  /** Something to do at a step of a run. */
  interface Step {
    void run(ChildJvm child) throws Exception;
  }

  /** What one run produced. */
  record Run(
      String name,
      int registered,
      int exitCode,
      long signalToExitMs,
      long hookToExitMs,
      List<String> stdout,
      List<String> stderr,
      AgentReport report,
      String described,
      Traffic atReady) {

    AgentReport requireReport() {
      assertNotNull(report, name + ": no report written" + described);
      return report;
    }
  }

  /**
   * Starts {@code app}, waits for READY, runs {@code beforeSignal} (may be null), sends {@code
   * signal} ("TERM", "INT"; null when the app stops itself), runs {@code afterSignal} (may be null)
   * and waits for the exit (at most 60 s).
   */
  static Run run(
      String name, AgentJvm app, Path report, String signal, Step beforeSignal, Step afterSignal)
      throws Exception {
    try (ChildJvm child = app.start()) {
      int registered = child.awaitReady(READY_TIMEOUT);
      Traffic atReady = app.emulator() == null ? null : Traffic.of(app.emulator());
      if (beforeSignal != null) {
        beforeSignal.run(child);
      }
      if (signal != null) {
        if (signal.equals("INT")) {
          assumeSigintReaches(child);
        }
        child.signal(signal);
      }
      if (afterSignal != null) {
        afterSignal.run(child);
      }
      return finish(name, child, registered, report, atReady);
    }
  }

  /**
   * Skips the test where {@code child} cannot receive SIGINT: a JVM started with SIGINT ignored
   * (inherited SIG_IGN) keeps it ignored.
   */
  static void assumeSigintReaches(ChildJvm child) throws IOException {
    Assumptions.assumeFalse(
        AgentJvm.sigintIgnored(child.pid()),
        "SIGINT is ignored in this environment (inherited SIG_IGN); a JVM cannot receive it");
  }

  /** Waits for the exit of a child that was signalled (or stopped itself) and gathers the run. */
  static Run finish(String name, ChildJvm child, int registered, Path report, Traffic atReady)
      throws Exception {
    int exitCode;
    try {
      exitCode = child.awaitExit(Duration.ofSeconds(60));
    } catch (TimeoutException e) {
      fail(name + ": " + e.getMessage());
      return null;
    }
    long from = child.signalledAtNanos() != 0 ? child.signalledAtNanos() : child.readyAtNanos();
    long signalToExitMs = (child.exitedAtNanos() - from) / 1_000_000;
    AgentReport parsed = null;
    long hookToExitMs = -1;
    if (report != null && Files.exists(report)) {
      parsed = AgentReport.read(report);
      hookToExitMs = hookToExitMs(child, report);
    }
    OutputOnFailure.note(
        "[fault] %s: %d registered, %s -> exit %d in %d ms (report written %s ms before"
            + " the exit); report %s",
        name,
        registered,
        child.signalledAtNanos() != 0 ? "signal" : "app exits itself",
        exitCode,
        signalToExitMs,
        hookToExitMs < 0 ? "?" : Long.toString(hookToExitMs),
        parsed == null ? "none" : parsed.durationMs() + " ms " + parsed.counts());
    if (parsed != null) {
      parsed.tasks().stream()
          .filter(e -> !e.outcome().equals("STOPPED"))
          .limit(2)
          .forEach(
              e ->
                  OutputOnFailure.note(
                      "[fault] %s:   e.g. %s %s after %d attempts, %d ms: %s",
                      name, e.id(), e.outcome(), e.attempts(), e.ms(), e.detail()));
    }
    return new Run(
        name,
        registered,
        exitCode,
        signalToExitMs,
        hookToExitMs,
        child.stdout(),
        child.stderr(),
        parsed,
        child.describe(),
        atReady);
  }

  /**
   * From the report file's last modification (the agent's last act in its hook) to the parent
   * seeing the exit: JVM teardown after the hook plus the parent's reaping, the part of the margin
   * the agent does not control. Wall clock on both sides, so only good to a millisecond or so.
   */
  static long hookToExitMs(ChildJvm child, Path report) throws IOException {
    long written = Files.getLastModifiedTime(report).toMillis();
    return child.exitedAtMillis() - written;
  }

  /** A condition to wait for. */
  interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Waits until {@code condition} holds, looking every 5 ms, and fails after {@code timeout}. For
   * state that gives no notification (a file growing, the emulator's clock-driven life cycle).
   */
  static void await(String what, Duration timeout, Condition condition) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > end) {
        fail("gave up waiting after " + timeout + " for " + what);
      }
      LockSupport.parkNanos(5_000_000L);
    }
  }

  // --- the promises -----------------------------------------------------------------------------

  /** (a) The JVM was gone no later than the deadline plus the margin, counted from the signal. */
  static void assertExitedByDeadline(Run run, long deadlineMs) {
    assertTrue(
        run.signalToExitMs() <= deadlineMs + EXIT_MARGIN_MS,
        run.name()
            + ": signal to exit took "
            + run.signalToExitMs()
            + " ms; deadline "
            + deadlineMs
            + " ms + margin "
            + EXIT_MARGIN_MS
            + " ms"
            + " (report written "
            + run.hookToExitMs()
            + " ms before the exit)"
            + run.described());
  }

  /** (b) Exactly one report entry per registered id, no more, no fewer, and counts that add up. */
  static void assertOneEntryPerId(Run run, Set<String> registered) {
    AgentReport report = run.requireReport();
    Set<String> reported = new HashSet<>();
    for (AgentReport.Entry entry : report.tasks()) {
      assertTrue(reported.add(entry.id()), run.name() + ": two report entries for " + entry.id());
    }
    Set<String> missing = new HashSet<>(registered);
    missing.removeAll(reported);
    Set<String> extra = new HashSet<>(reported);
    extra.removeAll(registered);
    assertTrue(
        missing.isEmpty() && extra.isEmpty(),
        run.name()
            + ": report and registrations differ: "
            + missing.size()
            + " registered but not reported "
            + sample(missing)
            + ", "
            + extra.size()
            + " reported but never registered "
            + sample(extra));
    assertEquals(
        registered.size(),
        report.counts().values().stream().mapToLong(Long::longValue).sum(),
        run.name() + ": counts " + report.counts());
  }

  /**
   * (c) Each entry agrees with the emulator: STOPPED only for a task the emulator stopped with a
   * 200; ALREADY_DONE only for a finished task that no stop of ours finished; NOT_FOUND only for an
   * id the emulator does not know; and a task the report did not call STOPPED is stopped on the
   * emulator only if one of our stops did land there (the answer lost to the deadline).
   */
  static void assertAgrees(Run run, Emulator emulator) {
    Map<String, TaskView> byId =
        emulator.tasks().stream().collect(Collectors.toMap(Scenario::key, Function.identity()));
    for (AgentReport.Entry entry : run.requireReport().tasks()) {
      TaskView view = byId.get(entry.id());
      String where = run.name() + ": " + entry + " vs emulator " + view;
      switch (entry.outcome()) {
        case "STOPPED" -> {
          assertNotNull(view, where);
          assertEquals(stoppedStatus(view), view.status(), where);
          assertTrue(view.successfulStops() >= 1, where);
          assertTrue(entry.attempts() >= 1, where);
        }
        case "ALREADY_DONE" -> {
          assertNotNull(view, where);
          assertTrue(view.isDone(), where);
          assertEquals(0, view.successfulStops(), where);
        }
        case "NOT_FOUND" -> assertNull(view, where);
        default -> {
          if (view != null && view.status().equals(stoppedStatus(view))) {
            assertTrue(view.successfulStops() >= 1, where);
          }
        }
      }
    }
  }

  // --- the transport ----------------------------------------------------------------------------

  /** The emulator's counters at one moment. */
  record Traffic(long apiRequests, long http11Connections, long h2Connections, long h2Streams) {
    /** Before anything: for runs in which every request is the agent's (the CLI, the sweep). */
    static final Traffic NONE = new Traffic(0, 0, 0, 0);

    /** Requests read before streams (arguments evaluate left to right): see assertTransport. */
    static Traffic of(Emulator emulator) {
      Map<String, Long> connections = emulator.connectionCounts();
      return new Traffic(
          emulator.requestCount(),
          connections.getOrDefault("http/1.1", 0L),
          connections.getOrDefault("h2", 0L),
          emulator.streamCounts().getOrDefault("h2", 0L));
    }

    Traffic since(Traffic before) {
      return new Traffic(
          apiRequests - before.apiRequests,
          http11Connections - before.http11Connections,
          h2Connections - before.h2Connections,
          h2Streams - before.h2Streams);
    }

    @Override
    public String toString() {
      return apiRequests
          + " API requests, "
          + h2Streams
          + " h2 streams, connections: "
          + http11Connections
          + " http/1.1, "
          + h2Connections
          + " h2";
    }
  }

  /** Over HTTPS+HTTP/2, that the agent spoke h2 from READY to the exit; see the overload. */
  static Traffic assertTransport(Run run, Transport transport, Emulator emulator) {
    assertNotNull(run.atReady(), run.name() + ": the app was not given the emulator (talksTo)");
    return assertTransport(run.name(), transport, emulator, run.atReady());
  }

  /**
   * Over HTTPS+HTTP/2, that the agent spoke h2. Since {@code since} (READY, after the apps' last
   * request; they use HttpURLConnection, which never speaks h2, so every h2 stream is an agent's):
   * at least one h2 stream, at least as many as the stops the emulator saw (all the agent's, all
   * after the signal), and every API request an h2 stream but at most one: the emulator counts a
   * request's stream on arrival and the request once its body is read, so one request of the
   * agent's (the warm-up) may straddle the snapshot at READY. Not the HTTP/1.1 connection count:
   * Jetty counts a TLS connection whose handshake the client abandoned (as a deadline does) as
   * HTTP/1.1, ALPN's default. Over plain HTTP, that the emulator served no h2. Returns the traffic
   * since {@code since}, which it also notes for a failure.
   */
  static Traffic assertTransport(
      String name, Transport transport, Emulator emulator, Traffic since) {
    long stops = emulator.tasks().stream().mapToLong(TaskView::stopCalls).sum();
    Traffic now = Traffic.of(emulator); // requests read before streams: none counted twice
    Traffic used = now.since(since);
    OutputOnFailure.note(
        "[transport] %s over %s, from READY to exit: %s; %d stops", name, transport, used, stops);
    String where = name + " over " + transport + ": " + used + ", " + stops + " stops";
    if (transport == Transport.HTTPS_H2) {
      assertTrue(emulator.isTls(), where + ": the emulator does not serve HTTPS");
      assertTrue(now.h2Connections() >= 1, where + ": the agent never opened an h2 connection");
      assertTrue(used.h2Streams() >= Math.max(1, stops), where + ": stops that came not over h2");
      assertTrue(
          used.apiRequests() <= used.h2Streams() + 1, where + ": requests that came not over h2");
    } else {
      assertEquals(0, now.h2Connections() + now.h2Streams(), where + ": h2 over plain HTTP");
    }
    return used;
  }

  /**
   * Over HTTPS+HTTP/2, that the agent's cancels shared connections (issue 9: 1,000 cancels over h2
   * use at most 3 connections, not one per concurrent call): at most {@code max} h2 connections
   * opened from READY to the exit. Over plain HTTP it checks nothing.
   */
  static void assertSharedH2Connections(Run run, Transport transport, Emulator emulator, int max) {
    if (transport != Transport.HTTPS_H2) {
      return;
    }
    Traffic used = Traffic.of(emulator).since(run.atReady());
    assertTrue(
        used.h2Connections() <= max,
        run.name()
            + ": the agent opened "
            + used.h2Connections()
            + " h2 connections for its cancels, more than "
            + max
            + " ("
            + used
            + " from READY to exit)");
  }

  /** How long {@link #assumeWarmH2Connection} waits for the agent's warm connection. */
  static final Duration WARM_CONNECTION_WAIT = Duration.ofSeconds(10);

  /**
   * Over HTTPS+HTTP/2, for runs whose point is hundreds of concurrent cancels, or a connection that
   * is up when the server stops answering: waits, at most {@link #WARM_CONNECTION_WAIT}, for the
   * agent's warm connection (issue 9: once a task is registered, the agent opens its connection
   * with one read-only request; the emulator then has an h2 stream, and only the agent speaks h2),
   * and aborts the test (skipped, with the reason) if none comes. An agent without it opens one TLS
   * connection per concurrent call at the signal (square/okhttp #5269) and loses most of its
   * deadline to handshakes: a known defect, asserted by the client's own connection test, not
   * something to measure again here at 300 or 10,000 tasks. Over plain HTTP it does nothing. Call
   * it after READY, before the signal.
   */
  static void assumeWarmH2Connection(Transport transport, Emulator emulator) {
    if (transport != Transport.HTTPS_H2) {
      return;
    }
    long end = System.nanoTime() + WARM_CONNECTION_WAIT.toNanos();
    while (emulator.streamCounts().getOrDefault("h2", 0L) == 0) {
      if (System.nanoTime() > end) {
        Assumptions.abort(
            "no warm h2 connection within "
                + WARM_CONNECTION_WAIT
                + " of READY: this agent opens none (issue 9's warm connection is not in this"
                + " build), so its cancels would each open a TLS connection at the signal");
      }
      LockSupport.parkNanos(5_000_000L);
    }
  }

  static Set<String> idsOf(Emulator emulator) {
    return emulator.tasks().stream().map(Scenario::key).collect(Collectors.toSet());
  }

  /** How the agent names an emulated task: a cloud task by its id, a v1 run as v1/RUNID. */
  static String key(TaskView view) {
    return view.family().equals(TaskView.V1) ? "v1/" + view.id() : view.id();
  }

  /** The status a confirmed stop leaves: stopped (cloud), cancelled (v1 run). */
  static String stoppedStatus(TaskView view) {
    return view.family().equals(TaskView.V1) ? "cancelled" : "stopped";
  }

  static void assertSummaryLine(Run run) {
    assertTrue(
        run.stderr().stream()
            .anyMatch(l -> l.startsWith("lastcall: ") && l.contains(" at shutdown")),
        run.name() + ": no summary line on stderr" + run.described());
  }

  static void assertEveryOutcome(Run run, Set<String> allowed) {
    for (AgentReport.Entry entry : run.requireReport().tasks()) {
      assertTrue(
          allowed.contains(entry.outcome()), run.name() + ": " + entry + " not in " + allowed);
    }
  }

  private static String sample(Set<String> ids) {
    return ids.stream().limit(5).collect(Collectors.toList()).toString();
  }
}
