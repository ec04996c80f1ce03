package dev.lastcall.client.tls;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.client.proxy.ProxyFailure;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.HttpUrl;

/**
 * TLS failures that no retry can mend, told in a user's words: a certificate nobody trusts, one for
 * another host name, one that expired or is not valid yet, and a plain-HTTP server on an {@code
 * https} URL. The bulk cancel settles a task {@link Outcome#FAILED} at once on any of them with
 * {@link #describe}'s text as the detail; {@link #lineFor} makes the one line a run prints. A
 * handshake that never completes is not one of them: it is a timeout, bounded by the deadline.
 */
public final class TlsFailure {
  /** Every detail {@link #describe} makes starts with this. */
  public static final String PREFIX = "TLS: ";

  private TlsFailure() {}

  /**
   * What went wrong, starting with {@link #PREFIX}, e.g. {@code TLS: certificate for localhost is
   * not trusted: PKIX path building failed; add the CA with caFile or the JVM trust store}; null
   * when {@code failure} is not a TLS failure that is final.
   *
   * @param url the request that failed, for the host name
   */
  public static String describe(IOException failure, HttpUrl url) {
    String host = url.host();
    if (failure instanceof SSLPeerUnverifiedException) {
      // OkHttp's own check: "Hostname localhost not verified: ... subjectAltNames: [a, b]".
      String message = String.valueOf(failure.getMessage());
      if (message.startsWith("Hostname ")) {
        String names = between(message, "subjectAltNames: [", "]");
        return PREFIX
            + (names == null || names.isEmpty()
                ? "certificate does not name " + host
                : "certificate is for " + names + ", not " + host);
      }
      return null;
    }
    if (!(failure instanceof SSLException)) {
      return null;
    }
    CertificateExpiredException expired = find(failure, CertificateExpiredException.class);
    if (expired != null) {
      return PREFIX + "certificate for " + host + " expired on " + date(expired, "NotAfter: ");
    }
    CertificateNotYetValidException early = find(failure, CertificateNotYetValidException.class);
    if (early != null) {
      return PREFIX
          + "certificate for "
          + host
          + " is not valid until "
          + date(early, "NotBefore: ")
          + "; check this machine's clock";
    }
    if (failure instanceof SSLHandshakeException && untrusted(failure)) {
      return PREFIX
          + "certificate for "
          + host
          + " is not trusted: PKIX path building failed; add the CA with caFile or the JVM"
          + " trust store";
    }
    if (messageContains(failure, "Unsupported or unrecognized SSL message")) {
      return PREFIX
          + "the server at "
          + host
          + ":"
          + url.port()
          + " speaks plain HTTP, not HTTPS; check the baseUrl's scheme and port";
    }
    return null;
  }

  /**
   * The one line for a run whose tasks failed on TLS (or on a {@link ProxyFailure}), e.g. {@code 12
   * tasks not cancelled, TLS: certificate for localhost is not trusted: ...}; empty when none did.
   * The detail of the first such task stands for all: one client talks to one host.
   */
  public static Optional<String> lineFor(CancelReport report) {
    int count = 0;
    String first = null;
    for (TaskOutcome task : report.tasks()) {
      if (task.outcome() == Outcome.FAILED
          && (task.detail().startsWith(PREFIX) || task.detail().startsWith(ProxyFailure.PREFIX))) {
        count++;
        if (first == null) {
          first = task.detail();
        }
      }
    }
    if (count == 0) {
      return Optional.empty();
    }
    return Optional.of((count == 1 ? "1 task" : count + " tasks") + " not cancelled, " + first);
  }

  private static boolean untrusted(Throwable failure) {
    return find(failure, CertPathBuilderException.class) != null
        || messageContains(failure, "PKIX path building failed");
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean messageContains(Throwable failure, String text) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      String message = t.getMessage();
      if (message != null && message.contains(text)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The date in the JDK's "NotAfter: Tue Nov 03 12:00:00 UTC 2026" as {@code 2026-11-03 12:00 UTC},
   * or as the JDK wrote it when it cannot be read.
   */
  private static String date(Exception e, String label) {
    String message = String.valueOf(e.getMessage());
    String text = message.startsWith(label) ? message.substring(label.length()) : message;
    try {
      SimpleDateFormat jdk = new SimpleDateFormat("EEE MMM dd HH:mm:ss zzz yyyy", Locale.US);
      SimpleDateFormat shown = new SimpleDateFormat("yyyy-MM-dd HH:mm 'UTC'", Locale.US);
      shown.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
      return shown.format(jdk.parse(text));
    } catch (ParseException | RuntimeException unreadable) {
      return text;
    }
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    if (from < 0) {
      return null;
    }
    from += start.length();
    int to = text.indexOf(end, from);
    return to < 0 ? null : text.substring(from, to);
  }
}
