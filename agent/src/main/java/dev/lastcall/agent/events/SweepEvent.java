package dev.lastcall.agent.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;

/** {@code dev.lastcall.Sweep}: one sweep of the journals of JVMs that died without their hook. */
@Name("dev.lastcall.Sweep")
@Label("Lastcall Journal Sweep")
@Category({"Lastcall", "Journal"})
@Description("The cancel of the tasks found in the journals of stopped JVMs")
@StackTrace(false)
@Registered(false)
final class SweepEvent extends CancelCountsEvent {
  @Label("Journal")
  @Description("The journal directory, or the Redis URL without user or password")
  String journal;

  @Label("Journals swept")
  int journals;

  @Label("Journals in use, left alone")
  int journalsInUse;

  @Label("Tasks left for the next sweep")
  int tasksLeft;
}
