package dev.lastcall.it;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SampleApp} as a typical service runs it: logging through SLF4J and Logback (configured
 * with {@code -Dlogback.configurationFile}, whose {@code <shutdownHook/>} stops Logback in its own
 * hook), {@code System.err} redirected into the logger, and two shutdown hooks of its own that log
 * while they take their time. All of it shuts down at the same moment as the agent's hook.
 */
public final class LoggingApp {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingApp.class);

  private LoggingApp() {}

  public static void main(String[] args) throws Exception {
    LOG.info("logging app starting");
    // Like a logging bridge: anything printed to System.err becomes a log event, lost once Logback
    // stops.
    System.setErr(
        new PrintStream(
            new OutputStream() {
              private final StringBuilder line = new StringBuilder();

              @Override
              public synchronized void write(int b) {
                if (b == '\n') {
                  LOG.error("stderr: {}", line);
                  line.setLength(0);
                } else {
                  line.append((char) b);
                }
              }
            },
            true,
            StandardCharsets.UTF_8));
    for (int h = 0; h < 2; h++) {
      int hook = h;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    for (int i = 0; i < 20; i++) {
                      LOG.info("app hook {} cleaning up, step {}", hook, i);
                      try {
                        Thread.sleep(10); // stands for the app's own slow clean-up
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                      }
                    }
                    LOG.info("app hook {} done", hook);
                  },
                  "logging-app-hook-" + h));
    }
    SampleApp.main(args);
  }
}
