package dev.lastcall.agent.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRegistry;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.report.ReportJson;
import dev.lastcall.internal.SharedState;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MXBean over the test JVM's own registry, read through the platform MBean server as a JMX
 * client would (open types only), with a canceller that stops what it is asked to.
 */
class TaskRegistryBeanTest {
  private final TaskRegistry registry = TaskRegistry.global();
  private final SharedRegistry shared = SharedRegistry.connect();
  private final List<Object> asked = new ArrayList<>();

  /** Cancels as the runtime's OnDemandCancel would: stops each, deregisters what is confirmed. */
  private final BiFunction<List<String>, Duration, Map<String, Object>> canceller =
      (ids, deadline) -> {
        asked.add(ids == null ? "all" : ids);
        asked.add(deadline);
        List<TaskOutcome> tasks = new ArrayList<>();
        for (String id : ids != null ? ids : List.copyOf(shared.snapshot())) {
          tasks.add(new TaskOutcome(id, Outcome.STOPPED, 1, Duration.ofMillis(3), "stopped"));
          shared.release(id, shared.handle(id));
        }
        Duration allowed = deadline != null ? deadline : Duration.ofSeconds(7);
        return SharedState.encode(CancelReport.of(allowed, Duration.ofMillis(5), tasks));
      };

  @AfterEach
  void clear() {
    for (String id : shared.snapshot()) {
      registry.deregister(id);
    }
  }

  private TaskRegistryBean bean() {
    return new TaskRegistryBean(
        shared, RegistrationAges.follow(shared), canceller, Duration.ofSeconds(7));
  }

  @Test
  void aJmxClientReadsTheRegisteredTasksAsOpenData() throws Exception {
    TaskRegistryBean bean = bean();
    registry.register("jmx-1");
    registry.register("jmx-2");
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName(TaskRegistryMXBean.OBJECT_NAME);
    JmxRegistration.register(bean);
    try {
      assertEquals(2, server.getAttribute(name, "RegisteredCount"));
      assertEquals(7000L, server.getAttribute(name, "Timeout"));
      Map<String, String> found = new HashMap<>();
      for (CompositeData task : (CompositeData[]) server.getAttribute(name, "RegisteredTasks")) {
        found.put((String) task.get("id"), (String) task.get("found"));
        assertTrue((Long) task.get("ageMillis") >= 0);
        assertEquals("cloud", task.get("family"));
        assertEquals("java.lang.String", task.getCompositeType().getType("id").getClassName());
      }
      assertEquals(Map.of("jmx-1", "api", "jmx-2", "api"), found);

      String report =
          (String) server.invoke(name, "cancelAll", new Object[] {2500L}, new String[] {"long"});
      assertEquals(List.of("all", Duration.ofMillis(2500)), asked);
      assertTrue(report.startsWith("{\"deadlineMs\":2500,"), report);
      assertTrue(
          report.contains("{\"id\":\"jmx-1\",\"family\":\"cloud\",\"outcome\":\"STOPPED\""),
          report);
      assertTrue(report.contains("\"found\":\"api\""), "found, taken before the cancel: " + report);
      assertEquals(0, server.getAttribute(name, "RegisteredCount"));
    } finally {
      server.unregisterMBean(name);
    }
  }

  @Test
  void cancelOfOneIdUsesTheConfiguredTimeoutAsTaskRegistryCancelDoes() {
    registry.register("jmx-one");
    String report = bean().cancel("jmx-one");
    assertEquals(
        Arrays.asList(List.of("jmx-one"), null), asked, "ids, and no deadline: the timeout");
    assertTrue(report.startsWith("{\"deadlineMs\":7000,"), report);
    assertFalse(shared.isRegistered("jmx-one"));
  }

  @Test
  void badInputIsRefusedWithOneClearMessage() throws Exception {
    TaskRegistryBean bean = bean();
    IllegalArgumentException badId =
        assertThrows(IllegalArgumentException.class, () -> bean.cancel("a/b"));
    assertTrue(badId.getMessage().contains("'/'"), badId.getMessage());
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> bean.cancelAll(-1));
    assertEquals(
        "timeoutMillis must be zero or positive (milliseconds, e.g. 5000) but was -1",
        negative.getMessage());
    assertTrue(asked.isEmpty(), "nothing was cancelled");

    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName(TaskRegistryMXBean.OBJECT_NAME);
    JmxRegistration.register(bean);
    try {
      RuntimeMBeanException remote =
          assertThrows(
              RuntimeMBeanException.class,
              () -> server.invoke(name, "cancelAll", new Object[] {-5L}, new String[] {"long"}));
      assertTrue(remote.getCause() instanceof IllegalArgumentException, remote.toString());
    } finally {
      server.unregisterMBean(name);
    }
  }

  @Test
  void withoutCancelOnDemandTheOperationsSaySo() {
    TaskRegistryBean bean =
        new TaskRegistryBean(shared, RegistrationAges.follow(shared), null, Duration.ofSeconds(7));
    UnsupportedOperationException off =
        assertThrows(UnsupportedOperationException.class, () -> bean.cancelAll(1000));
    assertTrue(off.getMessage().startsWith("cancel on demand is off"), off.getMessage());
  }

  @Test
  void theLastResultsAreTheReportFilesJson() {
    CancelReport report =
        CancelReport.of(
            Duration.ofSeconds(1),
            Duration.ofMillis(12),
            List.of(new TaskOutcome("t1", Outcome.STOPPED, 1, Duration.ofMillis(9), "stopped")));
    LastResults.timeLimit(report);
    LastResults.cancel(report);
    assertEquals(ReportJson.render(report), bean().getLastTimeLimit());
    assertEquals(ReportJson.render(report), bean().getLastCancel());
  }
}
