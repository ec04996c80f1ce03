package dev.lastcall.agent.journal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * This JVM's journal: keeps a file in step with the registry so that a task whose {@code register}
 * call has returned is on disk even if the process dies the next instant.
 *
 * <p>Every registry event for an id ends in {@link #reconcile}, on the registering thread, which
 * compares what the registry says now with what the journal last recorded and appends a record only
 * if they differ. Comparing with the registry's current state, under this object's lock, rather
 * than trusting the event's kind makes the journal right whatever order events from racing threads
 * arrive in: the last event for an id always sees the id's final state.
 *
 * <p>Appends are one {@code write(2)} each, not synced: the bytes are in the kernel once the write
 * returns, which is all a process death (SIGKILL, OOM kill, halt, crash) needs. A power cut or
 * kernel crash can lose appends of the last few seconds that the kernel had not yet written back.
 */
final class JournalRecorder implements Consumer<String> {
  private static final int NAME_ATTEMPTS = 10;

  private final JournalFiles files;
  private final FileChannel
      lockChannel; // never closed while we live: closing would release the lock
  private final FileLock lock;
  private final Predicate<String> isRegistered;
  private final Consumer<String> problems;
  private final Set<String> live = new HashSet<>();
  private int compactAfter;
  private FileOutputStream out;
  private int records;
  private boolean stopped;

  private JournalRecorder(
      JournalFiles files,
      FileChannel lockChannel,
      FileLock lock,
      FileOutputStream out,
      Predicate<String> isRegistered,
      int compactAfter,
      Consumer<String> problems) {
    this.files = files;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.out = out;
    this.isRegistered = isRegistered;
    this.compactAfter = compactAfter;
    this.problems = problems;
  }

  /**
   * Creates this JVM's journal in {@code dir} (created owner-only if missing) and locks it for the
   * life of the JVM. Local file work only.
   *
   * @param isRegistered what the registry says about an id now
   * @param compactAfter how many dead records may pile up (and outnumber the live ones) before the
   *     journal is rewritten
   */
  static JournalRecorder open(
      Path dir, Predicate<String> isRegistered, int compactAfter, Consumer<String> problems)
      throws IOException {
    Path absolute = dir.toAbsolutePath();
    JournalFiles.createDirectory(absolute);
    for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
      JournalFiles files = new JournalFiles(absolute, uniqueName());
      try {
        JournalFiles.createOwnerOnly(files.lock());
      } catch (FileAlreadyExistsException taken) {
        continue;
      }
      FileChannel channel = FileChannel.open(files.lock(), StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      // A sweeper may have taken our brand-new lock file for an orphan (a lock file with no
      // journal) in the instant before we locked it, and deleted it: then start again.
      if (lock == null || !Files.exists(files.lock())) {
        channel.close();
        continue;
      }
      JournalFiles.createOwnerOnly(files.journal());
      FileOutputStream out = new FileOutputStream(files.journal().toFile(), true);
      out.write(JournalFormat.header());
      return new JournalRecorder(
          files, channel, lock, out, isRegistered, Math.max(1, compactAfter), problems);
    }
    throw new IOException("could not create a journal file with a fresh name in " + absolute);
  }

  private static String uniqueName() {
    String pid = JournalFiles.pid();
    return JournalFiles.PREFIX
        + (pid == null ? "jvm" : pid)
        + '-'
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  }

  /** The base name of this JVM's files, so that a sweep in this JVM leaves them alone. */
  String name() {
    return files.name();
  }

  Path journal() {
    return files.journal();
  }

  /**
   * The registry's events: a registration or deregistration of {@code id}; see {@link #reconcile}.
   */
  @Override
  public void accept(String id) {
    reconcile(id);
  }

  /**
   * Records {@code id}'s registration or deregistration if the journal does not show it yet. Never
   * throws.
   */
  synchronized void reconcile(String id) {
    if (stopped) {
      return;
    }
    try {
      boolean registered = isRegistered.test(id);
      if (registered == live.contains(id)) {
        return;
      }
      out.write(registered ? JournalFormat.registered(id) : JournalFormat.deregistered(id));
      records++;
      if (registered) {
        live.add(id);
      } else {
        live.remove(id);
      }
      compactIfMostlyDead();
    } catch (IOException | RuntimeException e) {
      stop(
          "the journal "
              + files.journal()
              + " stopped recording after a write failed ("
              + e
              + "); tasks registered from now on are not protected against a crash");
    }
  }

  private void compactIfMostlyDead() {
    int dead = records - live.size();
    if (dead < compactAfter || dead <= live.size()) {
      return;
    }
    try {
      FileOutputStream next = JournalRewrite.replaceWith(files, live);
      close(out);
      out = next;
      records = live.size();
    } catch (IOException | RuntimeException e) {
      // The old journal is intact and still appended to; it only grows.
      compactAfter = Integer.MAX_VALUE;
      problems.accept(
          "could not compact the journal " + files.journal() + " (" + e + "); it keeps growing");
    }
  }

  /**
   * Called after the shutdown cancel: forgets {@code settled} ids (stopped, done or gone), and
   * deletes the journal if nothing is left in it, so a clean exit leaves no file behind.
   */
  synchronized void forget(Collection<String> settled) {
    if (stopped) {
      return;
    }
    try {
      for (String id : settled) {
        if (live.remove(id)) {
          out.write(JournalFormat.deregistered(id));
          records++;
        }
      }
      if (live.isEmpty()) {
        stopped = true;
        close(out);
        JournalRewrite.deleteAll(files);
        lock.release();
        lockChannel.close();
      }
    } catch (IOException | RuntimeException e) {
      stop(
          "could not record the shutdown's results in "
              + files.journal()
              + " ("
              + e
              + "); the next sweep will check those tasks again");
    }
  }

  private void stop(String why) {
    stopped = true;
    close(out);
    problems.accept(why);
  }

  private static void close(FileOutputStream stream) {
    try {
      stream.close();
    } catch (IOException ignored) {
      // Nothing was buffered: every record was written straight through.
    }
  }

  /** What is live by this journal's records. For tests. */
  synchronized Set<String> live() {
    return Set.copyOf(live);
  }
}
