package dev.lastcall.agent.journal;

import java.io.IOException;
import java.nio.file.Path;

/** {@link JournalSweep} of one directory as a {@link JournalSweeper}. */
final class DirectorySweeper implements JournalSweeper {
  private final Path dir;

  DirectorySweeper(Path dir) {
    this.dir = dir;
  }

  @Override
  public SweepResult sweep(JournalSweep.Canceller canceller) throws IOException {
    return JournalSweep.run(dir, null, canceller);
  }
}
