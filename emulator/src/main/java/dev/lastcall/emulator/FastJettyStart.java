package dev.lastcall.emulator;

/**
 * Spares Jetty a slow question at class-initialisation time. Jetty sizes its padding against false
 * sharing by asking the JVM, through JMX, whether object references are compressed; starting the
 * platform MBean server for that costs about 130 ms, a third of the emulator's start, and the
 * emulator is started many times. Told the answer by its own system property, Jetty skips JMX. Set
 * only if the application has not chosen.
 */
final class FastJettyStart {
  private static final String REFERENCES_PER_CACHE_LINE =
      "org.eclipse.jetty.util.referencesPerCacheLine";

  /**
   * 64-byte cache lines of 4-byte references: compressed references are the JVM's default for any
   * heap under 32 GB. Were it wrong, padding would be off by half; nothing else depends on it.
   */
  private static final String COMPRESSED_REFERENCES_PER_LINE = "16";

  private FastJettyStart() {}

  static void apply() {
    if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
      System.setProperty(REFERENCES_PER_CACHE_LINE, COMPRESSED_REFERENCES_PER_LINE);
    }
  }
}
