package dev.lastcall.agent.ondemand;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.client.ClientWait;
import dev.lastcall.agent.client.PreparedClient;
import dev.lastcall.agent.jmx.LastResults;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.client.cancel.BulkCancel;
import dev.lastcall.internal.Nanos;
import dev.lastcall.internal.SharedState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code TaskRegistry.cancelAll(deadline)} and {@code cancel(id)} as the agent answers them: the
 * function installed in the registry's shared state, called on the application's thread, taking and
 * returning JDK types only.
 *
 * <p>It is installed at premain, before the client exists; a call that arrives while the client is
 * still being built starts its preparation if nothing has yet and waits for it within the call's
 * own deadline, and reports every task {@link Outcome#TIMED_OUT} if the deadline comes first, as
 * the shutdown hook does. If the client could not be built at all (no API key) every task is {@link
 * Outcome#FAILED} with the reason. Tasks confirmed finished are deregistered, if the registration
 * cancelled is still the current one.
 */
public final class OnDemandCancel
    implements BiFunction<List<String>, Duration, Map<String, Object>> {
  private final Duration defaultDeadline;
  private final SharedRegistry registry;
  private final ClientWait client;

  public OnDemandCancel(Duration defaultDeadline, SharedRegistry registry, ClientWait client) {
    this.defaultDeadline = defaultDeadline;
    this.registry = registry;
    this.client = client;
  }

  /**
   * @param ids the ids to cancel, or null for every registered id
   * @param deadline the time allowed from now, or null for the configured timeout
   * @return the report encoded as {@link SharedState#encode(CancelReport)} does
   */
  @Override
  public Map<String, Object> apply(List<String> ids, Duration deadline) {
    CancelReport report = cancel(ids, deadline);
    LastResults.cancel(report); // the MXBean's LastCancel
    return SharedState.encode(report);
  }

  private CancelReport cancel(List<String> ids, Duration deadline) {
    long start = System.nanoTime();
    Duration allowed = deadline != null ? deadline : defaultDeadline;
    long end = start + Nanos.clamp(allowed);
    Map<String, Object> targets = new LinkedHashMap<>();
    if (ids == null) {
      targets.putAll(registry.registrations());
    } else {
      for (String id : ids) {
        targets.put(id, registry.handle(id));
      }
    }
    if (targets.isEmpty()) {
      return CancelReport.of(allowed, Nanos.since(start), List.of());
    }

    PreparedClient ready = client.await(end);
    if (!ready.ready()) {
      return notCancelled(targets, ready.outcome(), ready.detail(), allowed, start);
    }
    CancelReport cancelled;
    try {
      BulkCancel bulk = ready.start(Nanos.leftUntil(end));
      for (String id : targets.keySet()) {
        bulk.submit(id);
      }
      bulk.awaitSettled();
      cancelled = bulk.finish();
    } catch (RuntimeException e) {
      // The client was closed under us (the JVM is shutting down): nothing was confirmed.
      return notCancelled(targets, Outcome.FAILED, "not cancelled: " + e, allowed, start);
    }
    for (TaskOutcome outcome : cancelled.tasks()) {
      if (outcome.outcome().isConfirmed()) {
        registry.release(outcome.id(), targets.get(outcome.id()));
      }
    }
    return CancelReport.of(allowed, Nanos.since(start), cancelled.tasks());
  }

  private static CancelReport notCancelled(
      Map<String, Object> targets, Outcome outcome, String detail, Duration allowed, long start) {
    List<TaskOutcome> tasks = new ArrayList<>(targets.size());
    for (String id : targets.keySet()) {
      tasks.add(new TaskOutcome(id, outcome, 0, Duration.ZERO, detail));
    }
    return CancelReport.of(allowed, Nanos.since(start), tasks);
  }
}
