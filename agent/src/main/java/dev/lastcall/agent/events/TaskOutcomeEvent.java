package dev.lastcall.agent.events;

import dev.lastcall.TaskOutcome;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The fields of an event about one task's cancel ({@link TaskCancelEvent}, {@link TimeLimitEvent}),
 * filled from its {@link TaskOutcome} in one place. JFR includes a superclass's fields in each
 * event.
 */
@StackTrace(false)
@Registered(false)
abstract class TaskOutcomeEvent extends Event {
  @Label("Task id")
  @Description("The task's key: its id for a cloud task, v1/ + run id for a v1 run")
  String taskId;

  @Label("Family")
  @Description("Which API the task belongs to: cloud or v1")
  String family;

  @Label("HTTP status")
  @Description("The status code of the last answer about the task, 0 when none came")
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

  final void commit(TaskOutcome task) {
    taskId = task.id();
    family = task.family().label();
    httpStatus = task.httpStatus();
    outcome = task.outcome().name();
    attempts = task.attempts();
    elapsed = task.elapsed().toMillis();
    detail = task.detail();
    commit();
  }
}
