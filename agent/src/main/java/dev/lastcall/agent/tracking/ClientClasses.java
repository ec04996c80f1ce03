package dev.lastcall.agent.tracking;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The application classes tracking instruments, by name: the one place they are written. The gate
 * ({@link TrackingGate}) hands exactly these to Byte Buddy's transformer, and the installer
 * retransforms those of them already loaded. JDK types only: premain loads this class.
 */
final class ClientClasses {
  /** The JDK's {@code HttpClient} implementation ({@code send}, {@code sendAsync}). */
  static final String JDK_CLIENT = "jdk.internal.net.http.HttpClientImpl";

  /** Every name above, as {@code Class.getName} spells it. */
  static final Set<String> ALL = Set.of(JDK_CLIENT);

  private static final Set<String> INTERNAL =
      ALL.stream().map(name -> name.replace('.', '/')).collect(Collectors.toUnmodifiableSet());

  private ClientClasses() {}

  /** True for the internal names ({@code a/b/C}) of the classes tracking instruments. */
  static boolean covers(String internalName) {
    return INTERNAL.contains(internalName);
  }
}
