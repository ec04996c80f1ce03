package dev.lastcall.agent.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** {@code dev.lastcall.TaskCancel}: what the shutdown's cancel did to one task. */
@Name("dev.lastcall.TaskCancel")
@Label("Lastcall Task Cancel")
@Category({"Lastcall", "Shutdown"})
@Description("One task of the agent's shutdown cancel, as its report holds it")
@StackTrace(false)
@Registered(false)
final class TaskCancelEvent extends Event {
  @Label("Task id")
  @Description("The task's key: its id for a cloud task, v1/ + run id for a v1 run")
  String taskId;

  @Label("Family")
  @Description("Which API the task belongs to: cloud or v1")
  String family;

  @Label("HTTP status")
  @Description("The status code of the last answer, 0 when none came")
  int httpStatus;

  @Label("Outcome")
  String outcome;

  @Label("Attempts")
  int attempts;

  @Label("Time spent on the task")
  @Timespan(Timespan.MILLISECONDS)
  long elapsed;

  @Label("Detail")
  String detail;
}
