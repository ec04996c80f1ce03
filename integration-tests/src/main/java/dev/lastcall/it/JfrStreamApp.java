package dev.lastcall.it;

import java.util.Arrays;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * Runs another app's {@code main} with a {@link RecordingStream} of the agent's events in its JVM,
 * started before that {@code main} (so before the app registers anything): each {@code
 * dev.lastcall.*} event is printed on stdout as {@code JFR <name> <field>=<value> ...}, for a test
 * to wait for and compare with the emulator.
 *
 * <pre>
 * JfrStreamApp MAIN-CLASS [ARGS...]
 * </pre>
 */
public final class JfrStreamApp {
  private static final String[] EVENTS = {
    "dev.lastcall.Shutdown",
    "dev.lastcall.TaskCancel",
    "dev.lastcall.TimeLimit",
    "dev.lastcall.Sweep"
  };

  private JfrStreamApp() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: JfrStreamApp MAIN-CLASS [ARGS...]");
      System.exit(2);
    }
    RecordingStream stream = new RecordingStream();
    for (String name : EVENTS) {
      stream.enable(name);
    }
    stream.onEvent(JfrStreamApp::print);
    stream.startAsync();
    Class.forName(args[0])
        .getMethod("main", String[].class)
        .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }

  private static void print(RecordedEvent event) {
    String name = event.getEventType().getName();
    if (!name.startsWith("dev.lastcall.")) {
      return;
    }
    StringBuilder line = new StringBuilder("JFR ").append(name);
    for (ValueDescriptor field : event.getEventType().getFields()) {
      String fieldName = field.getName();
      if (fieldName.equals("startTime")
          || fieldName.equals("duration")
          || fieldName.equals("eventThread")) {
        continue;
      }
      Object value = event.getValue(fieldName);
      line.append(' ')
          .append(fieldName)
          .append('=')
          .append(String.valueOf(value).replace(' ', '_'));
    }
    System.out.println(line);
  }
}
