package dev.lastcall.agent;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The agent's only output: single lines prefixed {@code lastcall: } written straight to file
 * descriptor 2.
 *
 * <p>No logging framework: ours would be a dependency forced on the app, and the app's is shutting
 * itself down in its own hook exactly when our summary matters. Writing to the descriptor rather
 * than {@link System#err} also survives an application that redirected {@code System.err} into a
 * logger that is already stopped.
 */
public final class AgentLog {
  private static final PrintStream ERR =
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

  /**
   * {@link #line} as a consumer, for APIs that take one; a class rather than a method reference so
   * premain spins up no lambda.
   */
  public static final java.util.function.Consumer<String> LINES =
      new java.util.function.Consumer<String>() {
        @Override
        public void accept(String line) {
          line(line);
        }
      };

  private AgentLog() {}

  /** Prints {@code lastcall: <line>} to stderr. Never throws. */
  public static void line(String line) {
    try {
      ERR.println("lastcall: " + line);
    } catch (RuntimeException | Error ignored) {
      // Nowhere left to report to.
    }
  }
}
