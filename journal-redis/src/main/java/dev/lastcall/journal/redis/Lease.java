package dev.lastcall.journal.redis;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A JVM's lease: its id (naming its keys) and the token only its holder knows, which every write of
 * its records must show.
 */
record Lease(String jvm, String token) {
  private static final SecureRandom RANDOM = new SecureRandom();

  static Lease fresh() {
    return new Lease(random(8), random(16));
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public String toString() {
    return "Lease[" + jvm + "]"; // never the token
  }
}
