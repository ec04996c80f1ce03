package dev.lastcall.agent.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * {@code dev.lastcall.Shutdown}: one shutdown's cancel, from its report. Registered only once a
 * recorder exists ({@link JfrRecorderWatch}); the name is explicit so relocation cannot change it.
 */
@Name("dev.lastcall.Shutdown")
@Label("Lastcall Shutdown")
@Category({"Lastcall", "Shutdown"})
@Description("The agent's cancel of every registered task when the JVM stopped")
@StackTrace(false)
@Registered(false)
final class ShutdownEvent extends CancelCountsEvent {
  @Label("Deadline")
  @Timespan(Timespan.MILLISECONDS)
  long deadline;
}
