package dev.lastcall.agent.jmx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the JMX thread takes {@code main} to have started. */
class JmxStartTest {
  private static StackTraceElement frame(String type, String method) {
    return new StackTraceElement(type, method, null, -1);
  }

  @Test
  void mainHasStartedWhenTheApplicationsMainIsTheBottomFrame() {
    assertTrue(
        JmxStart.runsMain(
            new StackTraceElement[] {
              frame("com.example.Work", "run"), frame("com.example.App", "main")
            }));
  }

  @Test
  void premainAndTheLaunchersClassLoadingAreNotMain() {
    assertFalse(JmxStart.runsMain(new StackTraceElement[0]));
    assertFalse(
        JmxStart.runsMain(
            new StackTraceElement[] {
              frame("dev.lastcall.agent.LastcallAgent", "premain"),
              frame("sun.instrument.InstrumentationImpl", "loadClassAndCallPremain")
            }));
    assertFalse(
        JmxStart.runsMain(
            new StackTraceElement[] {frame("sun.launcher.LauncherHelper", "checkAndLoadMain")}));
  }
}
