package dev.lastcall.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Keeps a test's output out of the build log while it passes and attaches all of it to its failure:
 * every line its child JVMs printed (whole, not the tail in {@link ChildJvm#describe()}) and the
 * test's own notes (timings and counts worth reading when something goes wrong). Registered for
 * every test class of the module through JUnit's extension auto-detection, before {@link
 * SecretScan}, whose handler runs second and so also scans what is attached here.
 *
 * <p>On a failure the text goes to {@code target/test-output/<class>/<test>.txt} and, with that
 * path, into a suppressed exception of the failure, which Surefire and Failsafe print with it;
 * unless it holds part of an API key, which then goes nowhere.
 */
public final class OutputOnFailure
    implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {
  private static final Path DIR = Path.of("target", "test-output").toAbsolutePath();

  private static final List<String> NOTES = new ArrayList<>();
  private static final List<ChildJvm> CHILDREN = new ArrayList<>();

  /** A line for the failure report, never printed while the test passes. */
  static synchronized void note(String format, Object... args) {
    NOTES.add(String.format(format, args));
  }

  /** Attaches everything {@code child} prints to the failure of the running test, if it fails. */
  static synchronized ChildJvm watch(ChildJvm child) {
    CHILDREN.add(child);
    return child;
  }

  private static synchronized void clear() {
    NOTES.clear();
    CHILDREN.clear();
  }

  private static synchronized String render() {
    StringBuilder text = new StringBuilder();
    for (String note : NOTES) {
      text.append(note).append('\n');
    }
    for (ChildJvm child : CHILDREN) {
      text.append("--- child pid ").append(child.pid()).append(" stdout ---\n");
      child.stdout().forEach(line -> text.append(line).append('\n'));
      text.append("--- child pid ").append(child.pid()).append(" stderr ---\n");
      child.stderr().forEach(line -> text.append(line).append('\n'));
    }
    return text.toString();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    clear();
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    String text = render();
    if (SecretScan.holdsAKey(text)) {
      // Neither the build log nor the disk gets it; SecretScan fails the test and says where.
      text = "(withheld: it holds part of the API key)\n";
    }
    if (!text.isEmpty() && !(thrown instanceof TestAbortedException)) {
      Path file =
          DIR.resolve(context.getRequiredTestClass().getSimpleName())
              .resolve(fileName(context) + ".txt");
      String where;
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        where = "also in " + file;
      } catch (IOException e) {
        where = "not saved: " + e;
      }
      thrown.addSuppressed(
          new TestOutput("the test's notes and child JVM output (" + where + "):\n" + text));
    }
    throw thrown;
  }

  /** The method's name, and for one run of a parameterized test, which run. */
  private static String fileName(ExtensionContext context) {
    String method = context.getRequiredTestMethod().getName();
    String shown = context.getDisplayName();
    String name = shown.startsWith(method + "(") ? method : method + "-" + shown;
    return name.replaceAll("[^A-Za-z0-9._-]+", "_");
  }

  /** Carries the output in its message; the stack trace would only point here. */
  private static final class TestOutput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TestOutput(String message) {
      super(message, null, false, false);
    }
  }
}
