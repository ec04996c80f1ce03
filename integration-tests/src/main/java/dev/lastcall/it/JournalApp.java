package dev.lastcall.it;

import dev.lastcall.TaskRef;
import dev.lastcall.TaskRegistry;
import dev.lastcall.TrackedTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * An application for the crash-journal tests: registers the task ids listed in a file (the test
 * creates the tasks in its emulator), optionally deregistering some as it goes, and says on stdout
 * exactly what had happened, each line flushed right after the call returned:
 *
 * <pre>
 * GO              before the first registration
 * R &lt;id&gt;          after register(id) returned
 * C &lt;id&gt;          before the handle's close() is called: from here on either state is right
 * D &lt;id&gt;          after the handle's close() returned (the task is no longer ours)
 * READY &lt;n&gt;       all done, n still registered; then waits to be killed
 * </pre>
 *
 * <pre>
 * JournalApp --ids FILE [--churn SEED] [--pause-micros N]
 * </pre>
 *
 * With {@code --churn}, after each registration a coin (seeded) decides whether to close one of the
 * handles still open, chosen at random: deregistrations make dead journal records, and so
 * compactions. {@code --pause-micros} spaces the operations so that a kill lands among them.
 */
public final class JournalApp {
  private JournalApp() {}

  public static void main(String[] args) throws Exception {
    Path idsFile = null;
    Random churn = null;
    long pauseNanos = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--ids" -> idsFile = Path.of(args[i + 1]);
        case "--churn" -> churn = new Random(Long.parseLong(args[i + 1]));
        case "--pause-micros" -> pauseNanos = Long.parseLong(args[i + 1]) * 1_000;
        default -> {
          System.err.println("journal-app: unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    if (idsFile == null) {
      System.err.println("usage: JournalApp --ids FILE [--churn SEED] [--pause-micros N]");
      System.exit(2);
    }
    List<String> ids = Files.readAllLines(idsFile);
    List<TrackedTask> open = new ArrayList<>();
    say("GO");
    for (String id : ids) {
      if (id.isBlank()) {
        continue;
      }
      open.add(TaskRegistry.global().register(TaskRef.parse(id)));
      say("R " + id);
      if (churn != null && !open.isEmpty() && churn.nextBoolean()) {
        TrackedTask done = open.remove(churn.nextInt(open.size()));
        say("C " + done.id());
        done.close();
        say("D " + done.id());
      }
      if (pauseNanos > 0) {
        LockSupport.parkNanos(pauseNanos);
      }
    }
    say("READY " + open.size());
    new CountDownLatch(1).await(); // until killed
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
