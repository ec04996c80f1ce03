package dev.lastcall.agent.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** {@code dev.lastcall.TimeLimit}: a task cancelled while the app runs because it ran too long. */
@Name("dev.lastcall.TimeLimit")
@Label("Lastcall Time Limit")
@Category({"Lastcall", "Time Limits"})
@Description("A task cancelled because it ran longer than its maximum run time")
@StackTrace(false)
@Registered(false)
final class TimeLimitEvent extends Event {
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
