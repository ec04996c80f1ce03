package dev.lastcall.it;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An application that knows nothing of Lastcall: it creates {@code --tasks N} BLACKBOX tasks at
 * once in {@code main} with the HTTP client {@code --client} names, prints {@code CREATED <id>} for
 * each and {@code READY <n>}, then waits to be stopped. Run without the api on its class path, it
 * can only be protected by the agent's tracking.
 *
 * <pre>
 * ZeroCodeApp --base-url URL --tasks N --client CLIENT
 *             [--stop-first true] [--create-after-ms MS] [--read raw] [--family v1]
 * </pre>
 *
 * CLIENT: {@code send-string}, {@code async-bytes}, {@code send-stream} (the JDK's {@code
 * HttpClient}, {@link ZeroCodeJdk}), {@code url-connection} ({@link ZeroCodeUrlConnection}), {@code
 * okhttp} and {@code okhttp-enqueue} (whichever OkHttp is on the class path, {@link
 * ZeroCodeOkHttp}), {@code apache-classic} and {@code apache-handler} (Apache HttpClient 5, {@link
 * ZeroCodeApache}). {@code --stop-first true} stops the first task itself ({@code PATCH}, with the
 * JDK's client) before READY, printing {@code STOPPED <code>}; {@code --create-after-ms} waits
 * before creating anything; {@code --read raw} expects no task in the answers and prints {@code
 * READ <length> <sha-256>} of each body as the application read it.
 *
 * <p>{@code --family v1} creates v1 Agent API runs instead ({@code POST {base}/api/v1/tasks}, the
 * run id from {@code runId}, the key from {@code BLACKBOX_AGENT_API_KEY}); {@code --stop-first}
 * then cancels the first with {@code {"action":"cancel"}}.
 *
 * <p>The key comes from {@code BLACKBOX_API_KEY}, never printed.
 */
public final class ZeroCodeApp {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"\\\\]+)\"");
  private static final Pattern RUN_ID = Pattern.compile("\"runId\"\\s*:\\s*\"([^\"\\\\]+)\"");

  private ZeroCodeApp() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = null;
    int tasks = 1;
    String client = "send-string";
    boolean stopFirst = false;
    boolean raw = false;
    boolean v1 = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--base-url" -> baseUrl = args[i + 1].replaceAll("/+$", "");
        case "--tasks" -> tasks = Integer.parseInt(args[i + 1]);
        case "--client" -> client = args[i + 1];
        case "--create-after-ms" -> Thread.sleep(Long.parseLong(args[i + 1]));
        case "--stop-first" -> stopFirst = Boolean.parseBoolean(args[i + 1]);
        case "--read" -> raw = args[i + 1].equals("raw");
        case "--family" -> v1 = args[i + 1].equals("v1");
        default -> {} // SampleApp's options, passed by the shared launcher, mean nothing here
      }
    }
    String key = System.getenv(v1 ? "BLACKBOX_AGENT_API_KEY" : "BLACKBOX_API_KEY");
    String tasksUrl = baseUrl + (v1 ? "/api/v1/tasks" : "/api/tasks");
    ZeroCodeClient http = client(client);
    String first = null;
    for (int n = 0; n < tasks; n++) {
      byte[] body =
          http.post(
              tasksUrl,
              key,
              "{\"prompt\":\"zero-code task " + n + "\",\"selectedAgent\":\"claude\"}");
      if (raw) {
        System.out.println("READ " + body.length + " " + sha256(body));
        continue;
      }
      Matcher id = (v1 ? RUN_ID : ID).matcher(new String(body, StandardCharsets.UTF_8));
      if (!id.find()) {
        System.err.println("no id in the create answer");
        System.exit(3);
      }
      System.out.println("CREATED " + id.group(1));
      first = first == null ? id.group(1) : first;
    }
    if (stopFirst) { // the app stops one task itself, as the seed page shows
      int code =
          new ZeroCodeJdk("send-string")
              .stop(
                  tasksUrl + "/" + first,
                  key,
                  v1 ? "{\"action\":\"cancel\"}" : "{\"action\":\"stop\"}");
      System.out.println("STOPPED " + code);
    }
    System.out.println("READY " + tasks);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static ZeroCodeClient client(String name) {
    return switch (name) {
      case "send-string", "async-bytes", "send-stream" -> new ZeroCodeJdk(name);
      case "url-connection" -> new ZeroCodeUrlConnection();
      case "okhttp" -> new ZeroCodeOkHttp(false);
      case "okhttp-enqueue" -> new ZeroCodeOkHttp(true);
      case "apache-classic" -> new ZeroCodeApache(false);
      case "apache-handler" -> new ZeroCodeApache(true);
      default -> throw new IllegalArgumentException("unknown --client " + name);
    };
  }

  /** The SHA-256 of {@code bytes} in hex: what the test compares with what the server sent. */
  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
