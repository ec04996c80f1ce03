package dev.lastcall.emulator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The emulator's command line, parsed and checked before anything starts. Flags take their value as
 * the next argument or after {@code =} ({@code --port 8080}, {@code --port=8080}).
 */
final class CommandLine {

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: java -jar lastcall-emulator.jar [options]",
          "A local BLACKBOX API server for demos and tests: both task API families, the cloud",
          "Tasks API under /api/tasks (bb_ keys) and the v1 Agent API under /api/v1/tasks (sk-"
              + " keys:",
          "create, list, get, status, and cancel with PATCH {\"action\": \"cancel\"}; a run still",
          "queued answers a cancel 400, another user's run 403). Faults apply to both.",
          "",
          "  --port N               port to listen on, 0 picks a free one (default 8080)",
          "  --host ADDRESS         address to listen on (default 127.0.0.1)",
          "  --api-key KEY          accept only this key; repeatable (default: any key starting"
              + " with bb_)",
          "  --agent-api-key KEY    accept only this v1 key; repeatable (default: any key starting"
              + " with sk-)",
          "  --pending-ms N         how long a new task stays pending (default 200)",
          "  --processing-ms N      how long a task processes (default 60000)",
          "  --saving-ms N          how long a task saves before it completes (default 2000)",
          "  --latency-ms N         delay before every /api answer (default 0)",
          "  --error-rate R         share of /api requests answered 500, 0..1 (default 0)",
          "  --hang-rate R          share of /api requests never answered, 0..1 (default 0)",
          "  --rate-limit-rate R    share of /api requests answered 429, 0..1 (default 0)",
          "  --retry-after-s N      send Retry-After: N with every 429 (default: no header)",
          "  --fail-first N         answer the first N stop calls of each task 500 (default 0)",
          "  --rate-limit-first N   answer the first N stop calls of each task 429 (default 0)",
          "  --seed N               seed for the fault rates' random draws",
          "  --tls                  serve HTTPS with a certificate made at start for localhost,",
          "                         127.0.0.1 and ::1, signed by a CA made at start too",
          "  --tls-ca-out PATH      with --tls: write the CA certificate (PEM) here (default: a",
          "                         file in a new temporary directory); printed at start",
          "  --tls-cert PEM         serve HTTPS with this certificate chain (PEM file)",
          "  --tls-key PEM          ... and this private key (PEM file, PKCS#8, unencrypted)",
          "  --http2=BOOL           over TLS, offer h2 beside http/1.1 by ALPN (default true);",
          "                         plain HTTP is HTTP/1.1 only",
          "  --help                 print this help and exit",
          "",
          "Admin (no auth): GET /_emulator/state, GET|PUT /_emulator/faults",
          "  /_emulator/state also counts connections by protocol since start and open now, and",
          "  HTTP/2 streams (one per request over h2): \"connections\": {\"http/1.1\": n, \"h2\":"
              + " m},",
          "  \"openConnections\": {\"http/1.1\": n, \"h2\": m}, \"streams\": {\"h2\": k}");

  private CommandLine() {}

  /** Flags that take no value; {@code --flag=false} turns one off. */
  private static final List<String> SWITCHES = List.of("--tls", "--http2");

  /** What the command line asks for: help, or an emulator to run. */
  record Parsed(boolean help, Emulator.Builder builder) {}

  /** TLS flags, checked together once all are read. */
  private static final class Tls {
    boolean generate;
    String caOut;
    String cert;
    String key;
  }

  static Parsed parse(String... args) throws UsageException {
    Emulator.Builder b = Emulator.builder().port(8080);
    Faults.Builder faults = Faults.builder();
    Tls tls = new Tls();
    List<String> list = new ArrayList<>(List.of(args));
    for (int i = 0; i < list.size(); i++) {
      String arg = list.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        return new Parsed(true, null);
      }
      String flag = arg;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (SWITCHES.contains(flag)) {
        value = "true";
      } else if (i + 1 < list.size() && isFlag(flag)) {
        value = list.get(++i);
      } else {
        value = null;
      }
      if (!isFlag(flag)) {
        throw new UsageException(
            "unknown option '" + flag + "'; run with --help for the accepted options");
      }
      if (value == null) {
        throw new UsageException(flag + ": missing value; expected " + expected(flag));
      }
      if (flag.startsWith("--tls")) {
        readTls(flag, value, tls);
      } else {
        apply(flag, value, b, faults);
      }
    }
    applyTls(tls, b);
    return new Parsed(false, b.faults(faults.build()));
  }

  private static void readTls(String flag, String value, Tls tls) throws UsageException {
    if (value.isBlank()) {
      throw invalid(flag, value);
    }
    switch (flag) {
      case "--tls":
        tls.generate = bool(flag, value);
        break;
      case "--tls-ca-out":
        tls.caOut = value;
        break;
      case "--tls-cert":
        tls.cert = value;
        break;
      case "--tls-key":
        tls.key = value;
        break;
      default:
        throw new IllegalStateException("isFlag and readTls disagree on " + flag);
    }
  }

  private static void applyTls(Tls tls, Emulator.Builder b) throws UsageException {
    if ((tls.cert == null) != (tls.key == null)) {
      throw new UsageException("--tls-cert and --tls-key go together; give both or neither");
    }
    if (tls.cert != null && tls.generate) {
      throw new UsageException(
          "--tls makes a certificate; --tls-cert serves a given one: pick one");
    }
    if (tls.caOut != null && !tls.generate) {
      throw new UsageException(
          "--tls-ca-out needs --tls (only a certificate made at start has a CA)");
    }
    if (tls.generate) {
      b.tls();
      if (tls.caOut != null) {
        b.tlsCaOut(Path.of(tls.caOut));
      }
    } else if (tls.cert != null) {
      try {
        b.tlsCertificate(Path.of(tls.cert), Path.of(tls.key));
      } catch (IOException e) {
        throw new UsageException("--tls-cert/--tls-key: cannot read: " + e);
      }
    }
  }

  private static void apply(String flag, String value, Emulator.Builder b, Faults.Builder f)
      throws UsageException {
    switch (flag) {
      case "--port":
        b.port((int) integer(flag, value, 0, 65535));
        break;
      case "--host":
        if (value.isBlank()) {
          throw invalid(flag, value);
        }
        b.host(value);
        break;
      case "--api-key":
      case "--agent-api-key":
        if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
          // Never echo a key, even a bad one.
          throw new UsageException(
              flag + ": value refused (not shown); expected " + expected(flag));
        }
        if (flag.equals("--api-key")) {
          b.apiKey(value);
        } else {
          b.agentApiKey(value);
        }
        break;
      case "--pending-ms":
        b.pendingFor(Duration.ofMillis(integer(flag, value, 0, Long.MAX_VALUE)));
        break;
      case "--processing-ms":
        b.processingFor(Duration.ofMillis(integer(flag, value, 0, Long.MAX_VALUE)));
        break;
      case "--saving-ms":
        b.savingFor(Duration.ofMillis(integer(flag, value, 0, Long.MAX_VALUE)));
        break;
      case "--latency-ms":
        f.latency(Duration.ofMillis(integer(flag, value, 0, Long.MAX_VALUE)));
        break;
      case "--error-rate":
        f.errorRate(rate(flag, value));
        break;
      case "--hang-rate":
        f.hangRate(rate(flag, value));
        break;
      case "--rate-limit-rate":
        f.rateLimitRate(rate(flag, value));
        break;
      case "--retry-after-s":
        f.retryAfter(Duration.ofSeconds(integer(flag, value, 0, Integer.MAX_VALUE)));
        break;
      case "--fail-first":
        f.failFirst((int) integer(flag, value, 0, Integer.MAX_VALUE));
        break;
      case "--rate-limit-first":
        f.rateLimitFirst((int) integer(flag, value, 0, Integer.MAX_VALUE));
        break;
      case "--seed":
        b.seed(integer(flag, value, Long.MIN_VALUE, Long.MAX_VALUE));
        break;
      case "--http2":
        b.http2(bool(flag, value));
        break;
      default:
        throw new IllegalStateException("isFlag and apply disagree on " + flag);
    }
  }

  private static boolean isFlag(String flag) {
    return expected(flag) != null;
  }

  /** What a flag accepts, for the error line; null for an unknown flag. */
  private static String expected(String flag) {
    switch (flag) {
      case "--port":
        return "an integer from 0 to 65535";
      case "--host":
        return "a host name or IP address";
      case "--api-key":
        return "a key without spaces, e.g. bb_...";
      case "--agent-api-key":
        return "a key without spaces, e.g. sk-...";
      case "--pending-ms":
      case "--processing-ms":
      case "--saving-ms":
      case "--latency-ms":
        return "a whole number of milliseconds, 0 or more";
      case "--error-rate":
      case "--hang-rate":
      case "--rate-limit-rate":
        return "a number from 0 to 1";
      case "--retry-after-s":
        return "a whole number of seconds, 0 or more";
      case "--fail-first":
      case "--rate-limit-first":
        return "a whole number, 0 or more";
      case "--seed":
        return "a whole number";
      case "--tls":
      case "--http2":
        return "true or false";
      case "--tls-ca-out":
      case "--tls-cert":
      case "--tls-key":
        return "a file path";
      default:
        return null;
    }
  }

  private static long integer(String flag, String value, long min, long max) throws UsageException {
    try {
      long n = Long.parseLong(value.trim());
      if (n < min || n > max) {
        throw invalid(flag, value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw invalid(flag, value);
    }
  }

  private static boolean bool(String flag, String value) throws UsageException {
    switch (value.trim()) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw invalid(flag, value);
    }
  }

  private static double rate(String flag, String value) throws UsageException {
    try {
      double r = Double.parseDouble(value.trim());
      if (!(r >= 0 && r <= 1)) {
        throw invalid(flag, value);
      }
      return r;
    } catch (NumberFormatException e) {
      throw invalid(flag, value);
    }
  }

  private static UsageException invalid(String flag, String value) {
    return new UsageException(flag + ": invalid value '" + value + "'; expected " + expected(flag));
  }
}
