package dev.lastcall.agent.jmx;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskIds;
import dev.lastcall.TaskRef;
import dev.lastcall.agent.registry.FoundBy;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.report.ReportJson;
import dev.lastcall.internal.SharedState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@link TaskRegistryMXBean} over the agent's registry and its cancel on demand: the operations
 * call the very function {@code TaskRegistry.cancel}/{@code cancelAll} reach (the runtime's {@code
 * OnDemandCancel}), so they wait for the client, cancel and deregister exactly as those do.
 */
final class TaskRegistryBean implements TaskRegistryMXBean {
  private final SharedRegistry registry;
  private final RegistrationAges ages;
  private final BiFunction<List<String>, Duration, Map<String, Object>> canceller;
  private final Duration timeout;

  TaskRegistryBean(
      SharedRegistry registry,
      RegistrationAges ages,
      BiFunction<List<String>, Duration, Map<String, Object>> canceller,
      Duration timeout) {
    this.registry = registry;
    this.ages = ages;
    this.canceller = canceller;
    this.timeout = timeout;
  }

  @Override
  public int getRegisteredCount() {
    int count = 0;
    for (String ignored : registry.ids()) {
      count++;
    }
    return count;
  }

  /** {@code cloud} or {@code v1}, from the task's key; never throws for a key it cannot read. */
  private static String familyOf(String key) {
    try {
      return TaskRef.parse(key).family().label();
    } catch (IllegalArgumentException e) {
      return "unknown";
    }
  }

  @Override
  public RegisteredTask[] getRegisteredTasks() {
    long now = System.nanoTime();
    List<RegisteredTask> tasks = new ArrayList<>();
    for (String id : registry.ids()) {
      FoundBy found = registry.foundBy(id);
      if (found != null) { // else deregistered while we looked
        tasks.add(new RegisteredTask(id, familyOf(id), found.word(), ages.ageMillis(id, now)));
      }
    }
    return tasks.toArray(new RegisteredTask[0]);
  }

  @Override
  public long getTimeout() {
    return timeout.toMillis();
  }

  @Override
  public String getLastCancel() {
    return LastResults.lastCancelJson();
  }

  @Override
  public String getLastSweep() {
    return LastResults.lastSweepJson();
  }

  @Override
  public String getLastTimeLimit() {
    return LastResults.lastTimeLimitJson();
  }

  @Override
  public String cancel(String id) {
    TaskIds.requireValid(id); // as TaskRegistry.cancel: one clear IllegalArgumentException
    return cancel(List.of(id), null);
  }

  @Override
  public String cancelAll(long timeoutMillis) {
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException(
          "timeoutMillis must be zero or positive (milliseconds, e.g. 5000) but was "
              + timeoutMillis);
    }
    return cancel(null, Duration.ofMillis(timeoutMillis));
  }

  private String cancel(List<String> ids, Duration deadline) {
    if (canceller == null) {
      throw new UnsupportedOperationException(
          "cancel on demand is off in this agent (its stderr says why); tasks are still cancelled"
              + " when the JVM stops");
    }
    Map<String, String> found = new HashMap<>();
    for (String id : ids != null ? ids : registry.snapshot()) {
      FoundBy how = registry.foundBy(id);
      if (how != null) {
        found.put(id, how.word()); // now: what is confirmed is deregistered by the cancel
      }
    }
    CancelReport report = SharedState.decodeReport(canceller.apply(ids, deadline));
    return ReportJson.render(report, found::get);
  }
}
