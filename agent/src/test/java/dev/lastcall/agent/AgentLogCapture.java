package dev.lastcall.agent;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Keeps the agent's lines ({@link AgentLog}) off a green build: every test's lines are captured,
 * for the test to assert on ({@link #lines()}), and printed only if the test fails. Registered for
 * every test of this module by JUnit's extension autodetection (see {@code
 * junit-platform.properties}). Lines from background threads that outlive their test land in the
 * next test's capture.
 */
public final class AgentLogCapture
    implements BeforeAllCallback, BeforeEachCallback, TestWatcher, AfterAllCallback {
  private static final Capture CAPTURE = new Capture();

  /** The agent's lines since the current test began, without their {@code lastcall: } prefix. */
  public static List<String> lines() {
    return List.copyOf(CAPTURE.lines);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    AgentLog.sendTo(CAPTURE);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    CAPTURE.lines.clear();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (String line : CAPTURE.lines) {
      System.err.println("lastcall: " + line);
    }
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    testFailed(context, cause);
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {}

  @Override
  public void afterAll(ExtensionContext context) {
    CAPTURE.lines.clear();
  }

  private static final class Capture implements Consumer<String> {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void accept(String line) {
      lines.add(line);
    }
  }
}
