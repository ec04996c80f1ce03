package dev.lastcall.agent.events;

import dev.lastcall.CancelReport;
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
      shutdown.counts(report);
      shutdown.commit();
    }
    if (new TaskCancelEvent().shouldCommit()) {
      for (TaskOutcome task : report.tasks()) {
        new TaskCancelEvent().commit(task);
      }
    }
  }

  void timeLimit(CancelReport report) {
    if (new TimeLimitEvent().shouldCommit()) {
      for (TaskOutcome task : report.tasks()) {
        new TimeLimitEvent().commit(task);
      }
    }
  }

  void sweep(SweepResult result) {
    SweepEvent event = new SweepEvent();
    if (event.shouldCommit()) {
      event.journal = result.where();
      event.journals = result.journalsSwept();
      event.journalsInUse = result.journalsInUse();
      event.tasksLeft = result.tasksLeft();
      event.counts(result.report());
      event.commit();
    }
  }
}
