package dev.lastcall.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.junit.jupiter.api.Test;

/** {@code tasks PID}: its lines, its messages and its usage errors (no JVM attached here). */
class TasksCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CommandLine.run(
        args,
        new Properties(),
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static CompositeData task(String id, String found, long ageMillis) throws Exception {
    CompositeType type =
        new CompositeType(
            "t",
            "t",
            new String[] {"id", "found", "ageMillis"},
            new String[] {"id", "found", "ageMillis"},
            new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.LONG});
    return new CompositeDataSupport(
        type, new String[] {"id", "found", "ageMillis"}, new Object[] {id, found, ageMillis});
  }

  @Test
  void oneLinePerTaskOldestFirstAsIdFoundAge() throws Exception {
    assertEquals(
        List.of("t-old  tracking  2h05m", "t-mid  api  3m07s", "t-new  joined  850ms"),
        TasksCommand.lines(
            new CompositeData[] {
              task("t-mid", "api", 187_000),
              task("t-new", "joined", 850),
              task("t-old", "tracking", 7_500_000)
            }));
  }

  @Test
  void agesAreOneWord() {
    assertEquals("0ms", TasksCommand.age(0));
    assertEquals("42s", TasksCommand.age(42_999));
    assertEquals("1m00s", TasksCommand.age(60_000));
    assertEquals("23h59m", TasksCommand.age(86_399_000));
    assertEquals("2d03h", TasksCommand.age((2 * 24 + 3) * 3_600_000L));
  }

  @Test
  void noSuchProcessIsNotAttached() {
    assertEquals(4, run("tasks", "999999999"));
    assertEquals(
        "lastcall: no process with id 999999999; give the pid of a running JVM (see jps)\n", err());
  }

  @Test
  void badOperandsAndOptionsAreUsageErrors() {
    assertEquals(2, run("tasks"));
    assertEquals("lastcall: tasks needs exactly one process id, as: tasks PID (got 0)\n", err());
    err.reset();
    assertEquals(2, run("tasks", "abc"));
    assertEquals(
        "lastcall: tasks needs a process id, a positive whole number such as 12345 (see jps), but"
            + " got \"abc\"\n",
        err());
    err.reset();
    assertEquals(2, run("tasks", "12", "--timeout", "5s"));
    assertEquals("lastcall: tasks takes no options (got \"--timeout\"), as: tasks PID\n", err());
  }

  @Test
  void aJvmWithoutTheBeanIsToldApartFromAnAgentNotReadyYet() {
    assertEquals(
        "lastcall: JVM 12 has no Lastcall agent (no dev.lastcall:type=TaskRegistry bean); start it"
            + " with -javaagent:lastcall-agent.jar or load it with attach 12",
        TasksCommand.noBean(12, null));
    assertEquals(
        "lastcall: nothing to list in JVM 12: its Lastcall agent has not registered its JMX bean"
            + " dev.lastcall:type=TaskRegistry (the agent is off, or it has no task yet and saw the"
            + " JMX server come before it; its stderr says so if it could not register it)",
        TasksCommand.noBean(12, "premain"));
  }
}
