package dev.lastcall.emulator;

import java.util.ServiceLoader;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Keeps Jetty's logging API from printing on a JVM that has no logging: with no SLF4J provider,
 * SLF4J logs nothing but warns so on stderr, once, which the demo and the CLI would show. Only that
 * case is changed; an application's own provider and settings are left as they are.
 */
final class QuietLogging {
  /** SLF4J's own switch (2.0.10+) for its internal reports. */
  private static final String VERBOSITY = "slf4j.internal.verbosity";

  private QuietLogging() {}

  static void apply() {
    if (System.getProperty(VERBOSITY) != null) {
      return;
    }
    ClassLoader loader = SLF4JServiceProvider.class.getClassLoader();
    boolean hasProvider =
        ServiceLoader.load(SLF4JServiceProvider.class, loader).stream().findAny().isPresent();
    if (!hasProvider) {
      System.setProperty(VERBOSITY, "ERROR");
    }
  }
}
