package dev.lastcall.agent.events;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.journal.SweepResult;

/**
 * Turns the reports the agent already has into JFR events. Loaded only once a flight recorder
 * exists and the events are registered ({@link JfrRecorderWatch}); each method first asks JFR
 * whether a recording wants the event ({@code shouldCommit}), so with the recorder idle it costs an
 * allocation and a flag check.
 */
final class JfrSink {
  void shutdown(CancelReport report) {
    ShutdownEvent shutdown = new ShutdownEvent();
    if (shutdown.shouldCommit()) {
      shutdown.deadline = report.deadline().toMillis();
      shutdown.cancelDuration = report.duration().toMillis();
      shutdown.tasks = report.tasks().size();
      shutdown.stopped = report.count(Outcome.STOPPED);
      shutdown.alreadyDone = report.count(Outcome.ALREADY_DONE);
      shutdown.notFound = report.count(Outcome.NOT_FOUND);
      shutdown.unauthorized = report.count(Outcome.UNAUTHORIZED);
      shutdown.failed = report.count(Outcome.FAILED);
      shutdown.timedOut = report.count(Outcome.TIMED_OUT);
      shutdown.commit();
    }
    if (!new TaskCancelEvent().shouldCommit()) {
      return;
    }
    for (TaskOutcome task : report.tasks()) {
      TaskCancelEvent event = new TaskCancelEvent();
      event.taskId = task.id();
      event.outcome = task.outcome().name();
      event.attempts = task.attempts();
      event.elapsed = task.elapsed().toMillis();
      event.detail = task.detail();
      event.commit();
    }
  }

  void timeLimit(CancelReport report) {
    if (!new TimeLimitEvent().shouldCommit()) {
      return;
    }
    for (TaskOutcome task : report.tasks()) {
      TimeLimitEvent event = new TimeLimitEvent();
      event.taskId = task.id();
      event.outcome = task.outcome().name();
      event.attempts = task.attempts();
      event.elapsed = task.elapsed().toMillis();
      event.detail = task.detail();
      event.commit();
    }
  }

  void sweep(SweepResult result) {
    SweepEvent event = new SweepEvent();
    if (!event.shouldCommit()) {
      return;
    }
    CancelReport report = result.report();
    event.journal = result.where();
    event.journals = result.journalsSwept();
    event.journalsInUse = result.journalsInUse();
    event.tasks = report.tasks().size();
    event.tasksLeft = result.tasksLeft();
    event.cancelDuration = report.duration().toMillis();
    event.stopped = report.count(Outcome.STOPPED);
    event.alreadyDone = report.count(Outcome.ALREADY_DONE);
    event.notFound = report.count(Outcome.NOT_FOUND);
    event.unauthorized = report.count(Outcome.UNAUTHORIZED);
    event.failed = report.count(Outcome.FAILED);
    event.timedOut = report.count(Outcome.TIMED_OUT);
    event.commit();
  }
}
