package dev.lastcall.it;

import dev.lastcall.TaskRegistry;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.concurrent.CountDownLatch;

/**
 * An application that keeps running while a JMX client steers its agent: it creates and registers
 * {@code --tasks N} tasks, printing {@code TASK first <id>} for each and {@code READY <n>}; then,
 * when the file {@code --more-file} appears (watched, not polled), creates and registers as many
 * more as the file says, printing {@code TASK more <id>} and {@code MORE <k>}; then waits to be
 * stopped. Registers through the system class loader's {@link TaskRegistry}.
 *
 * <pre>
 * JmxApp --base-url URL --tasks N --more-file PATH
 * </pre>
 *
 * The API key comes only from {@code BLACKBOX_API_KEY}. Exit code 2: usage.
 */
public final class JmxApp {
  private JmxApp() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6
        || !args[0].equals("--base-url")
        || !args[2].equals("--tasks")
        || !args[4].equals("--more-file")) {
      System.err.println("usage: JmxApp --base-url URL --tasks N --more-file PATH");
      System.exit(2);
    }
    String key = System.getenv("BLACKBOX_API_KEY");
    URL create = URI.create(args[1].replaceAll("/$", "") + "/api/tasks").toURL();
    int tasks = Integer.parseInt(args[3]);
    Path more = Path.of(args[5]).toAbsolutePath();
    TaskRegistry registry = TaskRegistry.global();
    for (int i = 0; i < tasks; i++) {
      String id = SampleApp.createTask(create, key, "jmx app " + i);
      registry.register(id);
      System.out.println("TASK first " + id);
    }
    System.out.println("READY " + tasks);
    int k = Integer.parseInt(awaitFile(more).trim());
    for (int i = 0; i < k; i++) {
      String id = SampleApp.createTask(create, key, "jmx app, more " + i);
      registry.register(id);
      System.out.println("TASK more " + id);
    }
    System.out.println("MORE " + k);
    new CountDownLatch(1).await(); // keep running until a signal stops the JVM
  }

  /** The file's text once it exists; the test writes it with an atomic rename. */
  private static String awaitFile(Path file) throws Exception {
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      while (!Files.exists(file)) { // checked after registering: a file made before is seen too
        watch.take().reset();
      }
    }
    return Files.readString(file);
  }
}
