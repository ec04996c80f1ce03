package dev.lastcall.agent.jmx;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskIds;
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
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * {@link TaskRegistryMXBean} over the agent's registry and its cancel on demand: the operations
 * call the very function {@code TaskRegistry.cancel}/{@code cancelAll} reach (the runtime's {@code
 * OnDemandCancel}), so they wait for the client, cancel and deregister exactly as those do.
 */
final class TaskRegistryBean implements TaskRegistryMXBean {
  static final String ID = "id";
  static final String FOUND = "found";
  static final String AGE_MILLIS = "ageMillis";

  /**
   * One registered task. Issue 12 adds a task family to the api: when it is there, it becomes one
   * more item here ({@code family}, a String), added at the end so that clients reading the items
   * by name keep working.
   */
  static final CompositeType TASK = taskType();

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

  private static CompositeType taskType() {
    try {
      return new CompositeType(
          "dev.lastcall.RegisteredTask",
          "a task the Lastcall agent cancels when the JVM stops",
          new String[] {ID, FOUND, AGE_MILLIS},
          new String[] {
            "the task id",
            "how the agent knew of it: api, joined (another class loader's registry) or tracking",
            "milliseconds since it was registered"
          },
          new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.LONG});
    } catch (OpenDataException e) {
      throw new IllegalStateException(e); // a fixed type: cannot happen
    }
  }

  @Override
  public int getRegisteredCount() {
    int count = 0;
    for (String ignored : registry.ids()) {
      count++;
    }
    return count;
  }

  @Override
  public CompositeData[] getRegisteredTasks() {
    long now = System.nanoTime();
    List<CompositeData> tasks = new ArrayList<>();
    for (String id : registry.ids()) {
      FoundBy found = registry.foundBy(id);
      if (found == null) {
        continue; // deregistered while we looked
      }
      try {
        tasks.add(
            new CompositeDataSupport(
                TASK,
                new String[] {ID, FOUND, AGE_MILLIS},
                new Object[] {id, found.word(), ages.ageMillis(id, now)}));
      } catch (OpenDataException e) {
        throw new IllegalStateException(e); // values of the declared types: cannot happen
      }
    }
    return tasks.toArray(new CompositeData[0]);
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
