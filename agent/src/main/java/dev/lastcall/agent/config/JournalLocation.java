package dev.lastcall.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the crash journal lives ({@code journal=...}): a directory on this machine, or a Redis
 * server every JVM of a fleet and a sweeper can reach ({@code redis://} or {@code rediss://}).
 * Exactly one of {@link #directory()} and {@link #redis()} is present. The Redis URL may carry a
 * password, so this type's {@link #toString()} never shows its user info.
 */
public final class JournalLocation {
  private final Path directory;
  private final URI redis;

  private JournalLocation(Path directory, URI redis) {
    this.directory = directory;
    this.redis = redis;
  }

  static JournalLocation directory(Path directory) {
    return new JournalLocation(directory, null);
  }

  static JournalLocation redis(URI redis) {
    return new JournalLocation(null, redis);
  }

  /** The journal directory, for {@code journal=DIR}. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /**
   * The Redis URL, for {@code journal=redis://...} or {@code rediss://...}; it may hold a password:
   * never print it, print {@link #toString()}.
   */
  public Optional<URI> redis() {
    return Optional.ofNullable(redis);
  }

  /** The directory, or the Redis URL without user or password, for messages. */
  @Override
  public String toString() {
    return directory != null ? directory.toString() : ConfigLoader.withoutSecrets(redis.toString());
  }
}
