package dev.lastcall.agent.tracking;

import java.util.Set;

/**
 * The application classes tracking instruments, by name: the one place they are written. The gate
 * ({@link TrackingGate}) hands exactly these to Byte Buddy's transformer, and the installer
 * retransforms those of them already loaded. JDK types only: premain loads this class.
 */
final class ClientClasses {
  /** The JDK's {@code HttpClient} implementation ({@code send}, {@code sendAsync}). */
  static final String JDK_CLIENT = "jdk.internal.net.http.HttpClientImpl";

  /**
   * The JDK's {@code HttpURLConnection} for {@code http}, and the base of the delegate every {@code
   * https} connection reads through.
   */
  static final String URL_CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";

  /**
   * The application's (unrelocated) {@code okhttp3.OkHttpClient}, whose constructor every client of
   * OkHttp 3.x to 5.x is built through. Written in parts: the shade plugin rewrites every {@code
   * okhttp3} name in the agent's classes, even the bare package name, to the agent's own relocated
   * copy, which must never be instrumented; {@code String.join} is not folded into one constant by
   * the compiler, so the plugin never sees the name whole. ZeroCodeIT's OkHttp cases fail if it
   * ever does.
   */
  static final String OKHTTP_CLIENT = String.join("", "okhttp", "3.OkHttpClient");

  /** Apache HttpClient 5's classic client, as {@code HttpClients} builds it. */
  static final String APACHE_CLASSIC = "org.apache.hc.client5.http.impl.classic.InternalHttpClient";

  /** Apache HttpClient 5's minimal classic client ({@code HttpClients.createMinimal()}). */
  static final String APACHE_MINIMAL = "org.apache.hc.client5.http.impl.classic.MinimalHttpClient";

  /** Every name above, as {@code Class.getName} spells it. */
  static final Set<String> ALL =
      Set.of(JDK_CLIENT, URL_CONNECTION, OKHTTP_CLIENT, APACHE_CLASSIC, APACHE_MINIMAL);

  /**
   * {@link #ALL} as internal names. Built without streams or lambdas: the gate first reads it
   * inside whichever class load comes first after premain, on the application's thread.
   */
  private static final Set<String> INTERNAL = internalNames();

  private ClientClasses() {}

  private static Set<String> internalNames() {
    String[] names = new String[ALL.size()];
    int i = 0;
    for (String name : ALL) {
      names[i++] = name.replace('.', '/');
    }
    return Set.of(names);
  }

  /** True for the internal names ({@code a/b/C}) of the classes tracking instruments. */
  static boolean covers(String internalName) {
    return INTERNAL.contains(internalName);
  }
}
