package dev.lastcall.agent.journal;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskOutcome;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sweeps a journal directory: claims the journals of JVMs that are gone, cancels every task they
 * still list in one bounded cancel, and removes from each journal what was finished: stopped,
 * already done, or not found. Tasks that timed out, failed or were refused stay for the next sweep.
 *
 * <p>Journals are claimed by their lock, which is held until the journal has been rewritten or
 * deleted, so two sweepers never process one journal, and a running JVM's journal is never read.
 */
public final class JournalSweep {
  /**
   * Cancels ids within the sweep's bounded wait; {@code TasksClient::cancelAll} with a deadline.
   */
  public interface Canceller {
    CancelReport cancel(Collection<String> ids);

    /**
     * A sweep's cancel, the same for every journal: {@code ids} cancelled in one bounded call (no
     * call for none), and which of them a journal may forget, those whose outcome is {@linkplain
     * dev.lastcall.Outcome#isFinal() final}. The rest stay for the next sweep.
     */
    default Swept sweep(Set<String> ids) {
      CancelReport report =
          ids.isEmpty() ? CancelReport.of(Duration.ZERO, Duration.ZERO, List.of()) : cancel(ids);
      Set<String> finished = new HashSet<>();
      for (TaskOutcome task : report.tasks()) {
        if (task.outcome().isFinal()) {
          finished.add(task.id());
        }
      }
      return new Swept(report, Set.copyOf(finished));
    }
  }

  /** What a sweep's cancel did, and the ids it finished (which the journals forget). */
  public record Swept(CancelReport report, Set<String> finished) {}

  private JournalSweep() {}

  /**
   * Sweeps {@code dir}.
   *
   * @param ownName this JVM's journal name, never claimed (locking our own lock file from a second
   *     channel would release our lock on POSIX systems), or null
   * @throws IOException if the directory cannot be listed
   */
  public static SweepResult run(Path dir, String ownName, Canceller canceller) throws IOException {
    List<DeadJournal> claimed = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int inUse = 0;
    try {
      for (JournalFiles files : candidates(dir, ownName)) {
        DeadJournal.Claim claim;
        try {
          claim = DeadJournal.claim(files);
        } catch (IOException e) {
          notes.add(files.journal() + " could not be claimed (" + e + "); left alone");
          continue;
        }
        if (claim.journal() != null) {
          claimed.add(claim.journal());
        } else if (claim.skipped() == DeadJournal.Skip.IN_USE) {
          inUse += Files.exists(files.journal()) ? 1 : 0;
        } else if (claim.skipped() == DeadJournal.Skip.NO_LOCK_FILE) {
          notes.add(
              files.journal()
                  + " has no lock file, so whether its JVM still runs cannot be told;"
                  + " left alone (delete it by hand once that JVM is gone)");
        }
      }
      return sweep(dir, claimed, inUse, notes, canceller);
    } finally {
      for (DeadJournal journal : claimed) {
        try {
          journal.close();
        } catch (IOException ignored) {
          // Closing the channel releases the lock whatever happened.
        }
      }
    }
  }

  private static SweepResult sweep(
      Path dir, List<DeadJournal> claimed, int inUse, List<String> notes, Canceller canceller) {
    Set<String> ids = new LinkedHashSet<>();
    List<DeadJournal> readable = new ArrayList<>();
    for (DeadJournal journal : claimed) {
      JournalFormat.Contents contents = journal.contents();
      if (!contents.readable()) {
        notes.add(journal.files().journal() + ": " + contents.unreadable() + "; left alone");
        continue;
      }
      if (contents.ignoredLines() > 0) {
        notes.add(
            journal.files().journal() + ": " + contents.ignoredLines() + " damaged lines skipped");
      }
      readable.add(journal);
      ids.addAll(contents.live());
    }
    Swept swept = canceller.sweep(ids);
    int left = 0;
    for (DeadJournal journal : readable) {
      Set<String> unfinished = new LinkedHashSet<>(journal.contents().live());
      unfinished.removeAll(swept.finished());
      try {
        journal.keepOnly(unfinished);
      } catch (IOException e) {
        notes.add(
            journal.files().journal()
                + " could not be updated ("
                + e
                + "); its tasks will be checked again by the next sweep");
      }
      left += unfinished.size();
    }
    return new SweepResult(
        dir.toAbsolutePath().toString(),
        readable.size(),
        inUse,
        swept.report(),
        left,
        List.copyOf(notes));
  }

  /**
   * Every journal in {@code dir}, and every lock file whose journal is missing (to tidy up), except
   * our own.
   */
  private static List<JournalFiles> candidates(Path dir, String ownName) throws IOException {
    Set<JournalFiles> found = new LinkedHashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, JournalFiles.PREFIX + "*")) {
      for (Path entry : entries) {
        String file = entry.getFileName().toString();
        Optional<JournalFiles> files =
            file.endsWith(JournalFiles.JOURNAL_SUFFIX)
                ? JournalFiles.ofJournal(entry)
                : JournalFiles.ofLock(entry);
        files.filter(f -> !f.name().equals(ownName)).ifPresent(found::add);
      }
    }
    return new ArrayList<>(found);
  }
}
