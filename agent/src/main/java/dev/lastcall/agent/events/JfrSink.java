package dev.lastcall.agent.events;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.journal.SweepResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the reports the agent already has into JFR events. Loaded only once a flight recorder
 * exists and the events are registered ({@link JfrRecorderWatch}); each method first asks JFR
 * whether a recording wants the event ({@code shouldCommit}), so with the recorder idle it costs an
 * allocation and a flag check.
 */
final class JfrSink {
  private static final Pattern HTTP_CODE = Pattern.compile("HTTP (\\d{3})\\b");

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
      event.family = task.family().label();
      event.httpStatus = lastHttpStatus(task);
      event.outcome = task.outcome().name();
      event.attempts = task.attempts();
      event.elapsed = task.elapsed().toMillis();
      event.detail = task.detail();
      event.commit();
    }
  }

  /**
   * The status code of the task's last answer, read from its outcome: the client writes {@code HTTP
   * nnn} into the detail for every answer but a readable 200 ({@code "HTTP 404 Task not found"},
   * {@code "deadline reached: last answer HTTP 500"}), and a detail naming a status read or a
   * confirmed outcome came from a 200; 0 when no answer came (a timeout, a TLS or proxy failure).
   */
  static int lastHttpStatus(TaskOutcome task) {
    Matcher code = HTTP_CODE.matcher(task.detail());
    if (code.find()) {
      return Integer.parseInt(code.group(1));
    }
    return task.confirmed() || task.detail().contains("status ") ? 200 : 0;
  }

  void timeLimit(CancelReport report) {
    if (!new TimeLimitEvent().shouldCommit()) {
      return;
    }
    for (TaskOutcome task : report.tasks()) {
      TimeLimitEvent event = new TimeLimitEvent();
      event.taskId = task.id();
      event.family = task.family().label();
      event.httpStatus = lastHttpStatus(task);
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
