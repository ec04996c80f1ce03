package dev.lastcall.agent.events;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Registered;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The fields of an event about a whole bulk cancel ({@link ShutdownEvent}, {@link SweepEvent}): how
 * many tasks, how long, and how many of each outcome, filled from its {@link CancelReport} in one
 * place. JFR includes a superclass's fields in each event.
 */
@StackTrace(false)
@Registered(false)
abstract class CancelCountsEvent extends Event {
  @Label("Tasks")
  int tasks;

  @Label("Duration of the cancel")
  @Timespan(Timespan.MILLISECONDS)
  long cancelDuration;

  @Label("Stopped")
  int stopped;

  @Label("Already done")
  int alreadyDone;

  @Label("Not found")
  int notFound;

  @Label("Unauthorized")
  int unauthorized;

  @Label("Failed")
  int failed;

  @Label("Timed out")
  int timedOut;

  final void counts(CancelReport report) {
    tasks = report.tasks().size();
    cancelDuration = report.duration().toMillis();
    stopped = report.count(Outcome.STOPPED);
    alreadyDone = report.count(Outcome.ALREADY_DONE);
    notFound = report.count(Outcome.NOT_FOUND);
    unauthorized = report.count(Outcome.UNAUTHORIZED);
    failed = report.count(Outcome.FAILED);
    timedOut = report.count(Outcome.TIMED_OUT);
  }
}
