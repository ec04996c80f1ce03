package dev.lastcall.agent.journal;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.JournalLocation;
import dev.lastcall.agent.registry.SharedRegistry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks the journal store from the {@code journal} value, in this one place: none, a directory
 * ({@link DirectoryJournal}, in this jar), or Redis ({@code redis://}, {@code rediss://}), whose
 * code and client library (Jedis, relocated) live in {@code lastcall-journal-redis.jar}.
 *
 * <p>That jar is found beside the agent jar and opened in a class loader of its own only when a
 * Redis journal is configured, so an agent without one pays nothing for it: the agent jar neither
 * grows nor reads it. A second file rather than a jar inside the agent jar, because an inner jar
 * would make the agent jar (whose central directory every JVM reads before premain) bigger for
 * everyone, and would have to be copied out to a temporary file before a class loader can open it,
 * which a read-only container file system forbids.
 */
public final class Journals {
  /** The Redis journal's jar, expected in the agent jar's directory. */
  public static final String REDIS_JAR = "lastcall-journal-redis.jar";

  static final String REDIS_PLUGIN = "dev.lastcall.journal.redis.RedisJournalPlugin";

  private static JournalPlugin redis; // guarded by Journals.class

  private Journals() {}

  /** The journal {@code config} asks for; {@link CrashJournal#NONE} without one. */
  public static CrashJournal open(AgentConfig config, SharedRegistry registry) {
    JournalLocation location = config.journal().orElse(null);
    if (location == null) {
      return CrashJournal.NONE;
    }
    if (location.directory().isPresent()) {
      return new DirectoryJournal(location.directory().get(), registry);
    }
    return new PluginJournal(config, registry);
  }

  /**
   * A sweeper of the journal {@code config} names (which must name one).
   *
   * @throws IOException if the Redis journal's jar cannot be found or opened
   */
  public static JournalSweeper sweeper(AgentConfig config) throws IOException {
    JournalLocation location = config.journal().orElseThrow();
    if (location.directory().isPresent()) {
      return new DirectorySweeper(location.directory().get());
    }
    return redisPlugin().sweeper(config);
  }

  /**
   * The Redis journal's plugin, loaded once: from this class's own loader if it is there (tests, or
   * a class path that holds the jar), else from {@link #REDIS_JAR} beside the agent jar.
   */
  static synchronized JournalPlugin redisPlugin() throws IOException {
    if (redis != null) {
      return redis;
    }
    ClassLoader own = Journals.class.getClassLoader();
    Class<?> type;
    try {
      type = Class.forName(REDIS_PLUGIN, true, own);
    } catch (ClassNotFoundException notOnClassPath) {
      Path jar = besideAgentJar();
      if (jar == null || !Files.isRegularFile(jar)) {
        throw new IOException(
            "journal=redis://... needs "
                + REDIS_JAR
                + " in the agent jar's directory"
                + (jar == null ? "" : " (" + jar.getParent() + ")")
                + "; it ships beside lastcall-agent.jar");
      }
      // Never closed: the plugin's classes are used until the JVM ends.
      @SuppressWarnings("resource")
      URLClassLoader loader =
          new URLClassLoader("lastcall-journal-redis", new URL[] {jar.toUri().toURL()}, own);
      try {
        type = Class.forName(REDIS_PLUGIN, true, loader);
      } catch (ClassNotFoundException e) {
        throw new IOException(jar + " holds no " + REDIS_PLUGIN + "; is it the right jar?", e);
      }
    }
    try {
      redis = (JournalPlugin) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IOException("could not start the Redis journal from " + type + ": " + e, e);
    }
    return redis;
  }

  private static Path besideAgentJar() {
    try {
      var source = Journals.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      Path agent = Path.of(source.getLocation().toURI());
      Path dir = Files.isDirectory(agent) ? agent : agent.getParent();
      return dir == null ? null : dir.resolve(REDIS_JAR);
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
