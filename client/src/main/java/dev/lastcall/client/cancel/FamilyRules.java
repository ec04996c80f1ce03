package dev.lastcall.client.cancel;

import dev.lastcall.Family;
import dev.lastcall.client.TaskStatus;
import dev.lastcall.client.internal.JsonBodies;

/**
 * How one API family's answers read, for {@link TaskCancellation}: the same state machine cancels
 * tasks of both families, and only these rules differ.
 *
 * <ul>
 *   <li>Cloud: a 200 to the stop carrying {@code task.status: stopped} is proof; finished statuses
 *       are {@code completed}, {@code error}, {@code stopped}, {@code timeout} (or {@code isDone});
 *       404 is not found.
 *   <li>v1: a 200 to the cancel carrying {@code status: cancelled} is proof; finished statuses are
 *       {@code completed}, {@code failed}, {@code cancelled}, {@code interrupted}; 404 and 403
 *       (another account's run) are not found.
 * </ul>
 *
 * Unknown statuses are not finished in both families: the task is cancelled again.
 */
abstract class FamilyRules {
  static final FamilyRules CLOUD = new Cloud();
  static final FamilyRules V1 = new V1();

  static FamilyRules of(Family family) {
    return family == Family.V1 ? V1 : CLOUD;
  }

  /** The status a confirmed stop leaves the task in: counted as STOPPED. */
  abstract String stoppedStatus();

  /** The task's status in a 2xx answer to the stop request. */
  abstract String stopAnswerStatus(Object body) throws JsonBodies.Malformed;

  /** What a 2xx answer to the status request says. */
  abstract Reading status(Object body, String id) throws JsonBodies.Malformed;

  /** A status read: the status word, and whether it never changes again. */
  record Reading(String status, boolean finished) {}

  /** True if an answer with {@code code} means this account has no such task. */
  abstract boolean isNotFound(int code);

  private static final class Cloud extends FamilyRules {
    @Override
    String stoppedStatus() {
      return "stopped";
    }

    @Override
    String stopAnswerStatus(Object body) throws JsonBodies.Malformed {
      return JsonBodies.taskEnvelope(body).status();
    }

    @Override
    Reading status(Object body, String id) throws JsonBodies.Malformed {
      // TaskStatus trusts the server's isDone as well as a finished status word.
      TaskStatus status = JsonBodies.status(body, id);
      return new Reading(status.status(), status.isDone());
    }

    @Override
    boolean isNotFound(int code) {
      return code == 404;
    }
  }

  private static final class V1 extends FamilyRules {
    @Override
    String stoppedStatus() {
      return "cancelled";
    }

    @Override
    String stopAnswerStatus(Object body) throws JsonBodies.Malformed {
      return JsonBodies.flatStatus(body);
    }

    @Override
    Reading status(Object body, String id) throws JsonBodies.Malformed {
      String status = JsonBodies.flatStatus(body);
      return new Reading(status, JsonBodies.RUN_FINISHED.contains(status));
    }

    @Override
    boolean isNotFound(int code) {
      return code == 404 || code == 403;
    }
  }
}
