package dev.lastcall.agent.shutdown;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.client.PreparedClient;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.events.JfrEvents;
import dev.lastcall.agent.registry.FoundBy;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.registry.SharedRegistry.Subscription;
import dev.lastcall.agent.report.ReportJson;
import dev.lastcall.agent.report.SummaryLine;
import dev.lastcall.client.cancel.BulkCancel;
import dev.lastcall.client.tls.TlsFailure;
import dev.lastcall.internal.Nanos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * One shutdown, start to end: registry snapshot, cancel all within the deadline, summary line and
 * report. Made by the runtime's shutdown hook with whatever client it has by then.
 *
 * <p>Registrations that arrive while it runs are fed into the same cancel (see {@link
 * SharedRegistry#onRegistration}); any that arrive after the cancel has finished still get a line
 * in the report, as timed out, so that nothing registered goes unaccounted for.
 */
public final class ShutdownRun implements AutoCloseable {
  /**
   * Kept back from the cancel's deadline, plus a little per task, so that the report fits inside
   * it.
   */
  private static final long BASE_REPORT_RESERVE_NANOS = Duration.ofMillis(100).toNanos();

  private final AgentConfig config;
  private final SharedRegistry registry;
  private final PreparedClient client;
  private final List<Subscription> watching = new CopyOnWriteArrayList<>();

  /**
   * @param client the client to cancel with, or why there is none: then every registered task is
   *     reported with its {@link PreparedClient#outcome()} and {@link PreparedClient#detail()}
   */
  public ShutdownRun(AgentConfig config, SharedRegistry registry, PreparedClient client) {
    this.config = config;
    this.registry = registry;
    this.client = client;
  }

  /**
   * Loads every class a shutdown needs besides the client's (the report's, this one's), so the hook
   * loads nothing for the first time. Runs on the preparation thread.
   */
  public static void warmUp(AgentConfig config, SharedRegistry registry) {
    CancelReport empty =
        CancelReport.of(
            config.timeout(),
            Duration.ZERO,
            List.of(new TaskOutcome("warm-up", Outcome.STOPPED, 1, Duration.ZERO, "warm-up")));
    ReportJson.render(empty, id -> "api");
    SummaryLine.render(empty, id -> "tracking");
    new FoundWords(registry).apply("warm-up");
    TlsFailure.lineFor(empty);
    registry.snapshot();
  }

  /**
   * Runs the shutdown: cancels, prints the summary, writes the report if configured. Returns the
   * report; registrations made after it are named on stderr until {@link #close()}.
   */
  public CancelReport run(long startNanos, long deadlineNanos) {
    // Registrations from now until the report is out are collected here, so none goes unreported.
    Queue<String> late = new ConcurrentLinkedQueue<>();
    Subscription collecting = registry.onRegistration(late::add);
    Set<String> registered = registry.snapshot();
    long reserve = reportReserveNanos(registered.size(), deadlineNanos - startNanos);
    CancelReport report =
        client.ready()
            ? cancel(startNanos, deadlineNanos - reserve, registered, late)
            : withUnreported(
                List.of(), client.outcome(), client.detail(), startNanos, registered, late);
    FoundWords found = new FoundWords(registry);
    AgentLog.line(SummaryLine.render(report, found));
    // A certificate or proxy problem fails every task alike: say it once, in a user's words.
    Optional<String> transport = TlsFailure.lineFor(report);
    if (transport.isPresent()) {
      AgentLog.line(transport.get());
    }
    ShutdownReport.writeIfConfigured(config, report, found);
    JfrEvents.shutdown(report);
    // The report is out. A registration after this point can only be named on stderr: the JVM is
    // about to halt and the task will keep running.
    // Left subscribed on purpose: the hook ends here, and any later registration should be named.
    watching.add(registry.onRegistration(ShutdownRun::registeredTooLate));
    collecting.close();
    Set<String> reported = idsOf(report.tasks());
    for (String id : late) {
      if (!reported.contains(id)) {
        registeredTooLate(id);
      }
    }
    return report;
  }

  /** Stops naming registrations made after the report (for a runtime that outlives its hook). */
  @Override
  public void close() {
    for (Subscription subscription : watching) {
      subscription.close();
    }
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

  /**
   * How each reported task was found ({@link FoundBy}), as the report's {@code found} word, read
   * once the cancel is done so that it takes nothing from the cancel's time (the report's reserve
   * covers it: well under a microsecond a task). Null, and no field, for an id no longer registered
   * by then.
   */
  private static final class FoundWords implements Function<String, String> {
    private final SharedRegistry registry;
    private final Map<String, String> seen = new HashMap<>();

    FoundWords(SharedRegistry registry) {
      this.registry = registry;
    }

    @Override
    public String apply(String id) {
      // The summary and the report both ask: each id is looked up once.
      return seen.computeIfAbsent(id, this::lookUp);
    }

    private String lookUp(String id) {
      FoundBy how = registry.foundBy(id);
      return how == null ? null : how.word();
    }
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
    BulkCancel bulk = client.start(Nanos.leftUntil(cancelDeadlineNanos));
    Set<String> submitted = ConcurrentHashMap.newKeySet();
    // Every registration since run() began is in `late` or in `registered`; this subscription
    // feeds those made from now on straight into the cancel.
    Subscription listening =
        registry.onRegistration(
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
        && submitAll(registry.snapshot(), submitted, bulk) > 0) {
      bulk.awaitSettled();
    }
    CancelReport cancelled = bulk.finish();
    listening.close();
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
    List<Iterable<String>> sources = List.of(registered, late, registry.snapshot());
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
