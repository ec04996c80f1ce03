package dev.lastcall.agent.shutdown;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ApiKeys;
import dev.lastcall.agent.journal.AgentJournal;
import dev.lastcall.agent.report.ReportFile;
import dev.lastcall.agent.report.ReportJson;
import dev.lastcall.agent.report.SummaryLine;
import dev.lastcall.agent.ondemand.WhileRunning;
import dev.lastcall.agent.snapshot.RegistryFeed;
import dev.lastcall.client.TasksClient;
import dev.lastcall.client.cancel.BulkCancel;
import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shutdown, start to end: registry snapshot, cancel all within the deadline, report.
 *
 * <p>Registrations that arrive while it runs are fed into the same cancel (see {@link
 * RegistryFeed#listen}); any that arrive after the cancel has finished still get a line in the
 * report, as timed out, so that nothing registered goes unaccounted for.
 */
final class ShutdownRun {
  /** Kept back from the cancel's deadline so that printing and writing the report fit inside it. */
  private static final long MAX_REPORT_RESERVE_NANOS = Duration.ofMillis(100).toNanos();

  private final AgentConfig config;
  private final RegistryFeed feed;
  private final TasksClient client;
  private final String whyNoClient;
  private final Outcome uncancelledOutcome;

  private ShutdownRun(AgentConfig config, RegistryFeed feed, TasksClient client, String whyNoClient,
      Outcome uncancelledOutcome) {
    this.config = config;
    this.feed = feed;
    this.client = client;
    this.whyNoClient = whyNoClient;
    this.uncancelledOutcome = uncancelledOutcome;
  }

  /** Runs on the preparation thread: everything slow or class-loading happens here. */
  static ShutdownRun prepare(AgentConfig config) {
    RegistryFeed feed = RegistryFeed.connect();
    ShutdownRun run;
    try {
      String key = ApiKeys.find(config, System.getenv());
      TasksClient client = TasksClient.builder()
          .baseUrl(config.baseUrl().toString())
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
    return RegistryFeed.connect().snapshot().isEmpty();
  }

  /**
   * A run that can only report: the client could not be built at all ({@code FAILED}) or not
   * before the deadline ({@code TIMED_OUT}, when {@code deadlineReached}).
   */
  static ShutdownRun withoutClient(AgentConfig config, String why, boolean deadlineReached) {
    return new ShutdownRun(config, RegistryFeed.connect(), null, why,
        deadlineReached ? Outcome.TIMED_OUT : Outcome.FAILED);
  }

  /**
   * Loads every class the hook will need (the client's bulk-cancel path, the report's), so the
   * hook loads nothing for the first time. Runs on the preparation thread after the run has been
   * made available: a hook that starts meanwhile simply loads what it needs itself.
   */
  void warmUp() {
    if (client != null) {
      client.warmUp();
    }
    CancelReport empty = CancelReport.of(config.timeout(), Duration.ZERO,
        List.of(new TaskOutcome("warm-up", Outcome.STOPPED, 1, Duration.ZERO, "warm-up")));
    ReportJson.render(empty);
    SummaryLine.render(empty);
    feed.snapshot();
  }

  void run(long startNanos, long deadlineNanos) {
    long reserve = Math.min(MAX_REPORT_RESERVE_NANOS, (deadlineNanos - startNanos) / 10);
    CancelReport report = client == null
        ? reportUncancelled(startNanos)
        : cancel(startNanos, deadlineNanos - reserve);
    AgentLog.line(SummaryLine.render(report));
    config.report().ifPresent(path -> {
      try {
        ReportFile.write(path, ReportJson.render(report));
      } catch (IOException | RuntimeException e) {
        AgentLog.line("could not write the report to " + path + ": " + e);
      }
    });
    AgentJournal.afterShutdownCancel(report);
  }

  private CancelReport cancel(long startNanos, long cancelDeadlineNanos) {
    BulkCancel bulk = client.startCancelAll(Duration.ofNanos(Math.max(0, cancelDeadlineNanos - System.nanoTime())));
    Set<String> submitted = ConcurrentHashMap.newKeySet();
    // Listen before the snapshot: a registration racing it is seen by at least one of the two.
    AutoCloseable listening = feed.onRegistration(id -> {
      if (submitted.add(id)) {
        bulk.submit(id);
      }
    });
    submitAll(feed.snapshot(), submitted, bulk);
    bulk.awaitSettled();
    // Without a listener (an older api in the app) late registrations are only seen by looking again.
    while (System.nanoTime() < cancelDeadlineNanos && submitAll(feed.snapshot(), submitted, bulk) > 0) {
      bulk.awaitSettled();
    }
    CancelReport cancelled = bulk.finish();
    close(listening);
    // Anything registered after finish() still gets a line, so nothing registered goes unreported.
    List<TaskOutcome> tasks = new ArrayList<>(cancelled.tasks());
    for (String id : feed.snapshot()) {
      if (!submitted.contains(id)) {
        tasks.add(new TaskOutcome(id, Outcome.TIMED_OUT, 0, Duration.ZERO, "registered after the cancel had finished"));
      }
    }
    return CancelReport.of(config.timeout(), Duration.ofNanos(System.nanoTime() - startNanos), tasks);
  }

  private static void close(AutoCloseable subscription) {
    try {
      subscription.close();
    } catch (Exception impossible) {
      // Unsubscribing is a list removal; nothing to report.
    }
  }

  private static int submitAll(Set<String> ids, Set<String> submitted, BulkCancel bulk) {
    int added = 0;
    for (String id : ids) {
      if (submitted.add(id)) {
        bulk.submit(id);
        added++;
      }
    }
    return added;
  }

  private CancelReport reportUncancelled(long startNanos) {
    List<TaskOutcome> tasks = new ArrayList<>();
    for (String id : feed.snapshot()) {
      tasks.add(new TaskOutcome(id, uncancelledOutcome, 0, Duration.ZERO, "not cancelled: " + whyNoClient));
    }
    return CancelReport.of(config.timeout(), Duration.ofNanos(System.nanoTime() - startNanos), tasks);
  }
}
