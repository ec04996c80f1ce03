package dev.lastcall.it;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An application that knows nothing of Lastcall: it creates {@code --tasks N} BLACKBOX tasks with
 * the JDK's {@link HttpClient}, prints {@code CREATED <id>} for each and {@code READY <n>}, then
 * waits to be stopped. Run without the api on its class path, it can only be protected by the
 * agent's tracking. {@code --client} picks how it sends and reads: {@code send-string} ({@code
 * send} with {@code ofString}), {@code async-bytes} ({@code sendAsync} with {@code ofByteArray}),
 * {@code send-stream} ({@code send} with {@code ofInputStream}, read a few bytes at a time).
 *
 * <pre>
 * ZeroCodeApp --base-url URL --tasks N --client send-string|async-bytes|send-stream
 *             [--stop-first true] [--create-after-ms MS]
 * </pre>
 *
 * {@code --stop-first true} stops the first task itself ({@code PATCH}) before READY, printing
 * {@code STOPPED <code>}; {@code --create-after-ms} waits before creating anything.
 *
 * <p>The key comes from {@code BLACKBOX_API_KEY}, never printed.
 */
public final class ZeroCodeApp {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"\\\\]+)\"");

  private ZeroCodeApp() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = null;
    int tasks = 1;
    String client = "send-string";
    boolean stopFirst = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--base-url" -> baseUrl = args[i + 1].replaceAll("/+$", "");
        case "--tasks" -> tasks = Integer.parseInt(args[i + 1]);
        case "--client" -> client = args[i + 1];
        case "--create-after-ms" -> Thread.sleep(Long.parseLong(args[i + 1]));
        case "--stop-first" -> stopFirst = Boolean.parseBoolean(args[i + 1]);
        default -> {} // SampleApp's options, passed by the shared launcher, mean nothing here
      }
    }
    String key = System.getenv("BLACKBOX_API_KEY");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String first = null;
    for (int n = 0; n < tasks; n++) {
      HttpRequest create =
          HttpRequest.newBuilder(URI.create(baseUrl + "/api/tasks"))
              .header("Authorization", "Bearer " + key)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"prompt\":\"zero-code task " + n + "\",\"selectedAgent\":\"claude\"}"))
              .build();
      String body =
          switch (client) {
            case "send-string" -> http.send(create, BodyHandlers.ofString()).body();
            case "async-bytes" ->
                new String(
                    http.sendAsync(create, BodyHandlers.ofByteArray()).get().body(),
                    StandardCharsets.UTF_8);
            case "send-stream" -> readSlowly(http.send(create, BodyHandlers.ofInputStream()));
            default -> throw new IllegalArgumentException("unknown --client " + client);
          };
      Matcher id = ID.matcher(body);
      if (!id.find()) {
        System.err.println("no id in the create answer");
        System.exit(3);
      }
      System.out.println("CREATED " + id.group(1));
      first = first == null ? id.group(1) : first;
    }
    if (stopFirst) { // the app stops one task itself, as the seed page shows
      HttpRequest stop =
          HttpRequest.newBuilder(URI.create(baseUrl + "/api/tasks/" + first))
              .header("Authorization", "Bearer " + key)
              .header("Content-Type", "application/json")
              .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"action\":\"stop\"}"))
              .build();
      System.out.println("STOPPED " + http.send(stop, BodyHandlers.ofString()).statusCode());
    }
    System.out.println("READY " + tasks);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static String readSlowly(HttpResponse<InputStream> response) throws Exception {
    StringBuilder text = new StringBuilder();
    try (InputStream in = response.body()) {
      byte[] chunk = new byte[7];
      for (int n; (n = in.read(chunk)) > 0; ) {
        text.append(new String(chunk, 0, n, StandardCharsets.ISO_8859_1));
      }
    }
    return text.toString();
  }
}
