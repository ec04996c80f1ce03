package dev.lastcall.agent.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JfrSinkTest {
  private static int status(Outcome outcome, String detail) {
    return JfrSink.lastHttpStatus(new TaskOutcome("t1", outcome, 1, Duration.ZERO, detail));
  }

  private static TaskOutcome outcome(String key) {
    return new TaskOutcome(key, Outcome.STOPPED, 1, Duration.ZERO, "stopped");
  }

  @Test
  void theLastAnswersStatusIsReadFromTheOutcome() {
    assertEquals(200, status(Outcome.STOPPED, "stopped"));
    assertEquals(200, status(Outcome.ALREADY_DONE, "status completed"));
    assertEquals(404, status(Outcome.NOT_FOUND, "HTTP 404 Task not found"));
    assertEquals(403, status(Outcome.FAILED, "gave up: HTTP 403"));
    assertEquals(500, status(Outcome.TIMED_OUT, "deadline reached: last answer HTTP 500"));
    assertEquals(200, status(Outcome.TIMED_OUT, "deadline reached: last answer status pending"));
    assertEquals(0, status(Outcome.TIMED_OUT, "deadline reached: no answer yet"));
  }

  @Test
  void theFamilyComesFromTheKey() {
    assertEquals("cloud", outcome("ac2wbk3lXAufdSdIscsirg").family().label());
    assertEquals("v1", outcome("v1/0d5e2a8c-0000-4000-8000-000000000001").family().label());
  }
}
