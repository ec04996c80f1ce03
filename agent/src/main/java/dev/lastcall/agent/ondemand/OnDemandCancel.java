package dev.lastcall.agent.ondemand;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.Handoff;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.client.cancel.BulkCancel;
import dev.lastcall.internal.Nanos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code TaskRegistry.cancelAll(deadline)} and {@code cancel(id)} as the agent answers them: the
 * function installed in the registry's shared state (element 4 of {@code sharedStateV1}), called on
 * the application's thread, taking and returning JDK types only.
 *
 * <p>It is installed at premain, before the client exists; a call that arrives while the client is
 * still being built waits for it within the call's own deadline, and reports every task {@link
 * Outcome#TIMED_OUT} if the deadline comes first, as the shutdown hook does. If the client could
 * not be built at all (no API key) every task is {@link Outcome#FAILED} with the reason. Tasks
 * confirmed finished are deregistered, if the registration cancelled is still the current one.
 */
public final class OnDemandCancel implements BiFunction<List<String>, Duration, Object[]> {
  /**
   * Deadlines beyond this (about 73 years) are treated as this, so nanosecond sums never overflow.
   */
  private final Duration defaultDeadline;

  private final SharedRegistry registry;

  /** Completes with the {@link CancelStarter}, or with a String saying why there is none. */
  private final Handoff<Object> client = new Handoff<>();

  private final Runnable startPreparation;

  /**
   * {@code startPreparation} is run before waiting for the client, so that a lazy agent builds it.
   */
  public OnDemandCancel(
      Duration defaultDeadline, SharedRegistry registry, Runnable startPreparation) {
    this.defaultDeadline = defaultDeadline;
    this.registry = registry;
    this.startPreparation = startPreparation;
  }

  /** The client is ready: calls waiting for it go ahead. */
  public void ready(CancelStarter starter) {
    client.complete(starter);
  }

  /** There will be no client: calls report every task FAILED with {@code why}. */
  public void unavailable(String why) {
    client.complete(why);
  }

  /** True once {@link #ready} or {@link #unavailable} was called. */
  public boolean settled() {
    return client.isDone();
  }

  /**
   * @param ids the ids to cancel, or null for every registered id
   * @param deadline the time allowed from now, or null for the configured timeout
   * @return the report encoded as {@link SharedRegistry#encode(CancelReport)} does
   */
  @Override
  public Object[] apply(List<String> ids, Duration deadline) {
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
      return SharedRegistry.encode(CancelReport.of(allowed, Nanos.since(start), List.of()));
    }

    if (startPreparation != null && !client.isDone()) {
      startPreparation.run();
    }
    Object ready;
    try {
      ready = client.await(end - System.nanoTime());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ready = null;
    }
    if (!(ready instanceof CancelStarter)) {
      Outcome outcome = ready == null ? Outcome.TIMED_OUT : Outcome.FAILED;
      String detail =
          ready == null
              ? "not cancelled: the agent was still starting when the deadline came"
              : "not cancelled: " + ready;
      List<TaskOutcome> tasks = new ArrayList<>(targets.size());
      for (String id : targets.keySet()) {
        tasks.add(new TaskOutcome(id, outcome, 0, Duration.ZERO, detail));
      }
      return SharedRegistry.encode(CancelReport.of(allowed, Nanos.since(start), tasks));
    }

    CancelReport cancelled;
    try {
      BulkCancel bulk = ((CancelStarter) ready).start(Nanos.leftUntil(end));
      for (String id : targets.keySet()) {
        bulk.submit(id);
      }
      bulk.awaitSettled();
      cancelled = bulk.finish();
    } catch (RuntimeException e) {
      // The client was closed under us (the JVM is shutting down): nothing was confirmed.
      List<TaskOutcome> tasks = new ArrayList<>(targets.size());
      for (String id : targets.keySet()) {
        tasks.add(new TaskOutcome(id, Outcome.FAILED, 0, Duration.ZERO, "not cancelled: " + e));
      }
      return SharedRegistry.encode(CancelReport.of(allowed, Nanos.since(start), tasks));
    }
    for (TaskOutcome outcome : cancelled.tasks()) {
      if (outcome.confirmed()) {
        registry.release(outcome.id(), targets.get(outcome.id()));
      }
    }
    return SharedRegistry.encode(CancelReport.of(allowed, Nanos.since(start), cancelled.tasks()));
  }
}
