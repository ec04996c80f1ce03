package dev.lastcall.agent.shutdown;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ApiKeys;
import dev.lastcall.agent.journal.AgentJournal;
import dev.lastcall.agent.ondemand.WhileRunning;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.report.ReportFile;
import dev.lastcall.agent.report.ReportJson;
import dev.lastcall.agent.report.SummaryLine;
import dev.lastcall.client.TasksClient;
import dev.lastcall.client.cancel.BulkCancel;
import dev.lastcall.internal.Nanos;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One shutdown, start to end: registry snapshot, cancel all within the deadline, report.
 *
 * <p>Registrations that arrive while it runs are fed into the same cancel (see {@link
 * SharedRegistry#onRegistration}); any that arrive after the cancel has finished still get a line
 * in the report, as timed out, so that nothing registered goes unaccounted for.
 */
final class ShutdownRun {
  /**
   * Kept back from the cancel's deadline, plus a little per task, so that the report fits inside
   * it.
   */
  private static final long BASE_REPORT_RESERVE_NANOS = Duration.ofMillis(100).toNanos();

  private final AgentConfig config;
  private final SharedRegistry feed;
  private final TasksClient client;
  private final String whyNoClient;
  private final Outcome uncancelledOutcome;

  private ShutdownRun(
      AgentConfig config,
      SharedRegistry feed,
      TasksClient client,
      String whyNoClient,
      Outcome uncancelledOutcome) {
    this.config = config;
    this.feed = feed;
    this.client = client;
    this.whyNoClient = whyNoClient;
    this.uncancelledOutcome = uncancelledOutcome;
  }

  /** Runs on the preparation thread: everything slow or class-loading happens here. */
  static ShutdownRun prepare(AgentConfig config) {
    SharedRegistry feed = SharedRegistry.connect();
    ShutdownRun run;
    try {
      String key = ApiKeys.find(config, System.getenv());
      TasksClient client =
          TasksClient.builder()
              .baseUrl(config.baseUrl().toString())
              .allowInsecure(config.allowInsecure())
              .apiKey(key)
              .maxConcurrency(config.concurrency())
              .build();
      // Journals of JVMs that died without their hook (journal=DIR): swept on a thread of its own.
      AgentJournal.sweepInBackground(config, ids -> client.cancelAll(ids, config.timeout()));
      run = new ShutdownRun(config, feed, client, null, null);
      WhileRunning.clientReady(config, client::startCancelAll); // time limits, cancel on demand
    } catch (ApiKeys.MissingApiKeyException e) {
      AgentLog.line(e.getMessage());
      run = new ShutdownRun(config, feed, null, e.getMessage(), Outcome.FAILED);
      WhileRunning.clientUnavailable(config, e.getMessage());
    }
    return run;
  }

  /** True when the registry is empty right now. */
  static boolean nothingRegistered() {
    return SharedRegistry.connect().isEmpty();
  }

  /**
   * A run that can only report: the client could not be built at all ({@code FAILED}) or not before
   * the deadline ({@code TIMED_OUT}, when {@code deadlineReached}).
   */
  static ShutdownRun withoutClient(AgentConfig config, String why, boolean deadlineReached) {
    return new ShutdownRun(
        config,
        SharedRegistry.connect(),
        null,
        why,
        deadlineReached ? Outcome.TIMED_OUT : Outcome.FAILED);
  }

  /**
   * Loads every class the hook will need (the client's bulk-cancel path, the report's), so the hook
   * loads nothing for the first time. Runs on the preparation thread after the run has been made
   * available: a hook that starts meanwhile simply loads what it needs itself.
   */
  void warmUp() {
    if (client != null) {
      client.warmUp();
    }
    CancelReport empty =
        CancelReport.of(
            config.timeout(),
            Duration.ZERO,
            List.of(new TaskOutcome("warm-up", Outcome.STOPPED, 1, Duration.ZERO, "warm-up")));
    ReportJson.render(empty);
    SummaryLine.render(empty);
    feed.snapshot();
  }

  void run(long startNanos, long deadlineNanos) {
    // Registrations from now until the report is out are collected here, so none goes unreported.
    Queue<String> late = new ConcurrentLinkedQueue<>();
    AutoCloseable collecting = feed.onRegistration(late::add);
    Set<String> registered = feed.snapshot();
    long reserve = reportReserveNanos(registered.size(), deadlineNanos - startNanos);
    CancelReport report =
        client == null
            ? withUnreported(
                List.of(),
                uncancelledOutcome,
                "not cancelled: " + whyNoClient,
                startNanos,
                registered,
                late)
            : cancel(startNanos, deadlineNanos - reserve, registered, late);
    AgentLog.line(SummaryLine.render(report));
    config
        .report()
        .ifPresent(
            path -> {
              try {
                ReportFile.write(path, ReportJson.render(report));
              } catch (IOException | RuntimeException e) {
                AgentLog.line("could not write the report to " + path + ": " + e);
              }
            });
    // The report is out. A registration after this point can only be named on stderr: the JVM is
    // about to halt and the task will keep running.
    // Left subscribed on purpose: the hook ends here, and any later registration should be named.
    feed.onRegistration(ShutdownRun::registeredTooLate);
    close(collecting);
    Set<String> reported = idsOf(report.tasks());
    for (String id : late) {
      if (!reported.contains(id)) {
        registeredTooLate(id);
      }
    }
    AgentJournal.afterShutdownCancel(report);
  }

  /**
   * Time kept back from the cancel for timing out what is left and writing the report: about 100 ms
   * plus 30 us a task (10,000 tasks take some 160 ms under load), at most a quarter of it.
   */
  static long reportReserveNanos(int tasks, long totalNanos) {
    long wanted = BASE_REPORT_RESERVE_NANOS + tasks * 30_000L;
    return Math.min(wanted, totalNanos / 4);
  }

  private static void registeredTooLate(String id) {
    AgentLog.line(
        "task "
            + id
            + " was registered after the shutdown report was written;"
            + " it was not cancelled and is not in the report");
  }

  private static Set<String> idsOf(List<TaskOutcome> tasks) {
    Set<String> ids = new HashSet<>();
    for (TaskOutcome task : tasks) {
      ids.add(task.id());
    }
    return ids;
  }

  private CancelReport cancel(
      long startNanos, long cancelDeadlineNanos, Set<String> registered, Queue<String> late) {
    BulkCancel bulk = client.startCancelAll(Nanos.leftUntil(cancelDeadlineNanos));
    Set<String> submitted = ConcurrentHashMap.newKeySet();
    // Every registration since run() began is in `late` or in `registered`; this subscription
    // feeds those made from now on straight into the cancel.
    AutoCloseable listening =
        feed.onRegistration(
            id -> {
              if (submitted.add(id)) {
                bulk.submit(id);
              }
            });
    submitAll(registered, submitted, bulk);
    submitAll(late, submitted, bulk);
    bulk.awaitSettled();
    // Without a listener (an older api in the app) late registrations are only seen by looking
    // again.
    while (System.nanoTime() < cancelDeadlineNanos
        && submitAll(feed.snapshot(), submitted, bulk) > 0) {
      bulk.awaitSettled();
    }
    CancelReport cancelled = bulk.finish();
    close(listening);
    // Whatever the cancel did not take (registered after finish(), or refused by it) is reported
    // as timed out: compared with the report itself, not with what was submitted.
    return withUnreported(
        cancelled.tasks(),
        Outcome.TIMED_OUT,
        "registered after the cancel had finished",
        startNanos,
        registered,
        late);
  }

  /**
   * The report: {@code done}, plus one entry with {@code outcome} and {@code detail} for every id
   * registered during the run (the snapshot, what arrived since, what is registered now) that
   * {@code done} does not name. The one place that makes "every registered task is reported" true.
   */
  private CancelReport withUnreported(
      List<TaskOutcome> done,
      Outcome outcome,
      String detail,
      long startNanos,
      Set<String> registered,
      Queue<String> late) {
    List<TaskOutcome> tasks = new ArrayList<>(done);
    Set<String> reported = idsOf(done);
    List<Iterable<String>> sources = List.of(registered, late, feed.snapshot());
    for (Iterable<String> source : sources) {
      for (String id : source) {
        if (reported.add(id)) {
          tasks.add(new TaskOutcome(id, outcome, 0, Duration.ZERO, detail));
        }
      }
    }
    return CancelReport.of(
        config.timeout(), Duration.ofNanos(System.nanoTime() - startNanos), tasks);
  }

  private static void close(AutoCloseable subscription) {
    try {
      subscription.close();
    } catch (Exception impossible) {
      // Unsubscribing is a list removal; nothing to report.
    }
  }

  private static int submitAll(Iterable<String> ids, Set<String> submitted, BulkCancel bulk) {
    int added = 0;
    for (String id : ids) {
      if (submitted.add(id)) {
        bulk.submit(id);
        added++;
      }
    }
    return added;
  }
}
