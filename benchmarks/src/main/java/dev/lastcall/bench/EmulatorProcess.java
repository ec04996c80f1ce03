package dev.lastcall.bench;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.Faults;
import dev.lastcall.emulator.TaskView;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulator run as its own process for the shutdown benchmark, with a control channel on stdin
 * so that tasks are created in-process (ten thousand in milliseconds, not over HTTP): the same
 * {@link Emulator} class and HTTP server that {@code lastcall-emulator.jar} runs.
 *
 * <pre>
 * create N FILE   make N tasks (processing at once), write their ids to FILE  -> OK
 * latency MS      every /api answer from now on waits MS                      -> OK
 * check FILE      the status of each id in FILE -> CHECK stopped=S running=R other=O
 * conns           connections accepted since start and open now, by protocol; /api requests
 *                 received and those waiting for their answer
 *                 -> CONNS h1=A h2=B open-h1=C open-h2=D requests=R unanswered=U
 * quit
 * </pre>
 *
 * <pre>
 * EmulatorProcess [plain | https1 | h2]
 * </pre>
 *
 * {@code plain} (the default) serves HTTP/1.1; {@code https1} HTTPS offering only {@code http/1.1};
 * {@code h2} HTTPS whose ALPN offers {@code h2} too. Prints {@code URL http(s)://127.0.0.1:PORT}
 * once listening, and over TLS first {@code CA FILE}: the PEM of the CA it made, for clients to
 * trust.
 */
public final class EmulatorProcess {
  static final String KEY = "bb_0123456789abcdef0123456789abcdef";

  private EmulatorProcess() {}

  public static void main(String[] args) throws Exception {
    String transport = args.length > 0 ? args[0] : "plain";
    Emulator.Builder builder = Emulator.builder().port(0).pendingFor(Duration.ZERO);
    switch (transport) {
      case "plain" -> {}
      case "https1" -> builder.tls().http2(false);
      case "h2" -> builder.tls().http2(true);
      default ->
          throw new IllegalArgumentException(
              "transport must be plain, https1 or h2, not " + transport);
    }
    Emulator emulator = builder.start();
    if (emulator.isTls()) {
      Path ca = Files.createTempFile("lastcall-bench-ca", ".pem");
      Files.writeString(ca, emulator.caCertificatePem().orElseThrow(), StandardCharsets.US_ASCII);
      ca.toFile().deleteOnExit(); // "quit" exits through System.exit
      System.out.println("CA " + ca);
    }
    System.out.println("URL " + emulator.baseUrl());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int made = 0;
    for (String line; (line = in.readLine()) != null; ) {
      String[] words = line.trim().split("\\s+");
      switch (words[0]) {
        case "create" -> {
          int n = Integer.parseInt(words[1]);
          List<String> ids = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            ids.add(emulator.createTask(KEY, "bench task " + made++));
          }
          Files.write(Path.of(words[2]), ids, StandardCharsets.UTF_8);
          System.out.println("OK");
        }
        case "latency" -> {
          emulator.faults(
              Faults.builder().latency(Duration.ofMillis(Long.parseLong(words[1]))).build());
          System.out.println("OK");
        }
        case "check" -> {
          int stopped = 0;
          int running = 0;
          int other = 0;
          for (String id : Files.readAllLines(Path.of(words[1]), StandardCharsets.UTF_8)) {
            if (id.isBlank()) {
              continue;
            }
            Optional<TaskView> task = emulator.task(id.trim());
            String status = task.map(TaskView::status).orElse("missing");
            if (status.equals("stopped")) {
              stopped++;
            } else if (task.isPresent() && !task.get().isDone()) {
              running++;
            } else {
              other++;
            }
          }
          System.out.println(
              "CHECK stopped=" + stopped + " running=" + running + " other=" + other);
        }
        case "conns" -> {
          Map<String, Long> all = emulator.connectionCounts();
          Map<String, Long> open = emulator.openConnectionCounts();
          System.out.println(
              "CONNS h1="
                  + all.getOrDefault("http/1.1", 0L)
                  + " h2="
                  + all.getOrDefault("h2", 0L)
                  + " open-h1="
                  + open.getOrDefault("http/1.1", 0L)
                  + " open-h2="
                  + open.getOrDefault("h2", 0L)
                  + " requests="
                  + emulator.requestCount()
                  + " unanswered="
                  + emulator.unansweredCount());
        }
        case "quit" -> {
          emulator.close();
          System.exit(0);
        }
        default -> System.out.println("ERROR unknown command " + words[0]);
      }
      System.out.flush();
    }
    emulator.close();
  }
}
