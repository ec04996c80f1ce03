package dev.lastcall.agent;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The agent's only output: single lines prefixed {@code lastcall: } written straight to file
 * descriptor 2.
 *
 * <p>No logging framework: ours would be a dependency forced on the app, and the app's is shutting
 * itself down in its own hook exactly when our summary matters. Writing to the descriptor rather
 * than {@link System#err} also survives an application that redirected {@code System.err} into a
 * logger that is already stopped. Tests send the lines elsewhere ({@link #sendTo}) to capture them.
 */
public final class AgentLog {
  private static final Consumer<String> STDERR = new Stderr();
  private static volatile Consumer<String> sink = STDERR;

  /**
   * {@link #line} as a consumer, for APIs that take one; a class rather than a method reference so
   * premain spins up no lambda.
   */
  public static final Consumer<String> LINES = new Lines();

  private AgentLog() {}

  /** Prints {@code lastcall: <line>} to stderr, or hands {@code line} to the sink. Never throws. */
  public static void line(String line) {
    try {
      sink.accept(line);
    } catch (RuntimeException | Error ignored) {
      // Nowhere left to report to.
    }
  }

  /**
   * Hands every line, without its prefix, to {@code lines} instead of printing it, until {@link
   * #sendToStderr()}: for tests, which capture what the agent says rather than print it.
   */
  public static void sendTo(Consumer<String> lines) {
    sink = lines;
  }

  /** Prints lines to stderr again, as the agent does. */
  public static void sendToStderr() {
    sink = STDERR;
  }

  private static final class Stderr implements Consumer<String> {
    private final PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    @Override
    public void accept(String line) {
      err.println("lastcall: " + line);
    }
  }

  private static final class Lines implements Consumer<String> {
    @Override
    public void accept(String line) {
      line(line);
    }
  }
}
