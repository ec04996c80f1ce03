package dev.lastcall.it;

import dev.lastcall.TaskRef;
import dev.lastcall.TaskRegistry;
import dev.lastcall.testsupport.ChildFirstClassLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small application that owns remote BLACKBOX tasks: it creates {@code --tasks N} of them with
 * {@code POST /api/tasks}, registers each id with {@link TaskRegistry} as soon as it exists, prints
 * {@code READY <n>} on stdout, and then waits to be stopped or stops itself.
 *
 * <pre>
 * SampleApp --base-url URL --tasks N [--then wait|exit|exit-threads]
 *           [--register-via system|child-first:PATH-TO-API-JAR] [--threads T]
 *           [--ids-file PATH] [--announce-shutdown] [--app-hooks N --app-hook-ms MS]
 *           [--race-file PATH [--race-threads T] [--race-after-shutdown K]]
 * </pre>
 *
 * <p>For the fault suite: {@code --ids-file} registers the tasks listed in a file (one key a line:
 * a cloud task's id, or {@code v1/RUNID} for a v1 Agent API run) instead of creating tasks, so the
 * app needs no server at all and {@code --base-url} may be left out; {@code --announce-shutdown}
 * adds a shutdown hook of the app's own that prints {@code SHUTDOWN-STARTED} on stdout; {@code
 * --app-hooks} adds that many hooks that each take {@code --app-hook-ms}; {@code --race-file}
 * starts threads after READY that keep creating and registering tasks, appending each id to the
 * file right after {@code register} returns, until each has registered {@code K} more once shutdown
 * has begun.
 *
 * <p>The API key comes only from the environment variable {@code BLACKBOX_API_KEY} and is never
 * printed. HTTP goes through {@link HttpURLConnection} on purpose: a JVM that has used {@code
 * java.net.http.HttpClient} takes about 330 ms longer to exit, which would blur the signal-to-exit
 * times the tests measure.
 *
 * <p>Exit codes when it stops itself: 0 after {@code --then exit}/{@code exit-threads}; 2 for a
 * usage error; 3 if the tasks could not be created or registered.
 */
public final class SampleApp {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"\\\\]+)\"");
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int READ_TIMEOUT_MS = 30_000;
  private static final int ATTEMPTS = 5;

  private SampleApp() {}

  /** What to do once every task is created and registered. */
  enum Then {
    WAIT,
    EXIT,
    EXIT_THREADS
  }

  /** Parsed command line. */
  record Options(
      URI baseUrl,
      int tasks,
      Then then,
      Path childFirstApiJar,
      int threads,
      Path idsFile,
      boolean announceShutdown,
      int appHooks,
      long appHookMs,
      Path raceFile,
      int raceThreads,
      int raceAfterShutdown) {
    static Options parse(String[] args) {
      URI baseUrl = null;
      int tasks = -1;
      Then then = Then.WAIT;
      Path childFirst = null;
      int threads = 8;
      Path idsFile = null;
      boolean announce = false;
      int appHooks = 0;
      long appHookMs = 0;
      Path raceFile = null;
      int raceThreads = 4;
      int raceAfterShutdown = 5;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (arg) {
          case "--base-url" -> baseUrl = URI.create(stripSlash(require(arg, value)));
          case "--tasks" -> tasks = Integer.parseInt(require(arg, value));
          case "--threads" -> threads = Integer.parseInt(require(arg, value));
          case "--ids-file" -> idsFile = Path.of(require(arg, value));
          case "--announce-shutdown" -> {
            announce = true;
            i--; // a flag without a value
          }
          case "--app-hooks" -> appHooks = Integer.parseInt(require(arg, value));
          case "--app-hook-ms" -> appHookMs = Long.parseLong(require(arg, value));
          case "--race-file" -> raceFile = Path.of(require(arg, value));
          case "--race-threads" -> raceThreads = Integer.parseInt(require(arg, value));
          case "--race-after-shutdown" -> raceAfterShutdown = Integer.parseInt(require(arg, value));
          case "--then" ->
              then =
                  switch (require(arg, value)) {
                    case "wait" -> Then.WAIT;
                    case "exit" -> Then.EXIT;
                    case "exit-threads" -> Then.EXIT_THREADS;
                    default ->
                        throw new IllegalArgumentException(
                            "--then takes wait, exit or exit-threads, not " + value);
                  };
          case "--register-via" -> {
            String via = require(arg, value);
            if (via.equals("system")) {
              childFirst = null;
            } else if (via.startsWith("child-first:") && via.length() > "child-first:".length()) {
              childFirst = Path.of(via.substring("child-first:".length()));
            } else {
              throw new IllegalArgumentException(
                  "--register-via takes system or child-first:<path-to-api-jar>, not " + via);
            }
          }
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
        i++;
      }
      if (baseUrl == null && (idsFile == null || raceFile != null)) {
        throw new IllegalArgumentException("--base-url is required (unless --ids-file is given)");
      }
      if (idsFile != null) {
        tasks = Math.max(tasks, 0); // the file says how many
      }
      if (tasks < 0) {
        throw new IllegalArgumentException("--tasks N is required (N >= 0)");
      }
      if (threads < 1) {
        throw new IllegalArgumentException("--threads must be at least 1");
      }
      return new Options(
          baseUrl,
          tasks,
          then,
          childFirst,
          threads,
          idsFile,
          announce,
          appHooks,
          appHookMs,
          raceFile,
          raceThreads,
          raceAfterShutdown);
    }

    private static String require(String flag, String value) {
      if (value == null) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return value;
    }

    private static String stripSlash(String url) {
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
  }

  /** Registers ids somewhere; the system copy of the API or a child-first copy. */
  interface Registrar {
    void register(String id) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("sample-app: " + e.getMessage());
      System.err.println(
          "usage: SampleApp --base-url URL --tasks N [--then wait|exit|exit-threads]"
              + " [--register-via system|child-first:PATH] [--threads T] [--ids-file PATH]"
              + " [--announce-shutdown] [--app-hooks N --app-hook-ms MS]"
              + " [--race-file PATH [--race-threads T] [--race-after-shutdown K]]");
      System.exit(2);
      return;
    }
    String key = System.getenv("BLACKBOX_API_KEY");
    // Only creating tasks needs the key: an app that registers the keys of a file (v1 runs, say,
    // under an agent with only the v1 key) runs without one.
    boolean creates = options.idsFile() == null || options.raceFile() != null;
    if (creates && (key == null || key.isBlank())) {
      System.err.println("sample-app: environment variable BLACKBOX_API_KEY is not set");
      System.exit(2);
      return;
    }

    Registrar registrar;
    try {
      registrar =
          options.childFirstApiJar() == null
              ? id -> TaskRegistry.global().register(TaskRef.parse(id))
              : childFirstRegistrar(options.childFirstApiJar());
    } catch (Exception e) {
      System.err.println("sample-app: cannot set up registration: " + e);
      System.exit(3);
      return;
    }

    addAppHooks(options);
    int registered;
    try {
      registered =
          options.idsFile() != null
              ? registerFromFile(options.idsFile(), registrar)
              : createAndRegister(options, key, registrar);
    } catch (Exception e) {
      System.err.println("sample-app: " + e.getMessage());
      System.exit(3);
      return;
    }

    System.out.println("READY " + registered);
    System.out.flush();
    if (options.raceFile() != null) {
      startRacers(options, key, registrar);
    }

    switch (options.then()) {
      case WAIT -> new CountDownLatch(1).await(); // until a signal stops the JVM
      case EXIT -> System.exit(0);
      case EXIT_THREADS -> exitFromSeveralThreads();
    }
  }

  private static int createAndRegister(Options options, String key, Registrar registrar)
      throws Exception {
    URL create = URI.create(options.baseUrl() + "/api/tasks").toURL();
    AtomicInteger registered = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(options.threads(), Math.max(1, options.tasks())));
    try {
      List<Future<?>> futures = new ArrayList<>(options.tasks());
      for (int i = 0; i < options.tasks(); i++) {
        String prompt = "lastcall sample task " + i;
        futures.add(
            pool.submit(
                () -> {
                  String id = createTask(create, key, prompt);
                  registrar.register(
                      id); // at once: a task created but not registered could outlive us
                  registered.incrementAndGet();
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable cause = e.getCause();
          throw new IllegalStateException("task creation failed: " + cause, cause);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return registered.get();
  }

  /** Creates one task and returns its id, retrying transient failures a few times. */
  static String createTask(URL create, String key, String prompt) throws IOException {
    byte[] body = ("{\"prompt\":\"" + prompt + "\"}").getBytes(StandardCharsets.UTF_8);
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      HttpURLConnection http = (HttpURLConnection) create.openConnection();
      try {
        http.setConnectTimeout(CONNECT_TIMEOUT_MS);
        http.setReadTimeout(READ_TIMEOUT_MS);
        http.setRequestMethod("POST");
        http.setDoOutput(true);
        http.setRequestProperty("Authorization", "Bearer " + key);
        http.setRequestProperty("Content-Type", "application/json");
        http.setRequestProperty("Accept", "application/json");
        http.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = http.getOutputStream()) {
          out.write(body);
        }
        int status = http.getResponseCode();
        String text = readAll(status >= 400 ? http.getErrorStream() : http.getInputStream());
        if (status == 200 || status == 201) {
          Matcher m = ID.matcher(text);
          if (!m.find()) {
            throw new IOException("POST /api/tasks answered " + status + " without a task id");
          }
          return m.group(1);
        }
        last = new IOException("POST /api/tasks answered " + status + ": " + shorten(text));
        if (status != 429 && status < 500) {
          throw last; // 4xx other than 429 will not get better by retrying
        }
      } catch (java.net.SocketTimeoutException | java.net.ConnectException e) {
        last = e;
      } finally {
        http.disconnect();
      }
      backOff(attempt);
    }
    throw last;
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(25L << attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readAll(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }

  /**
   * Registers through a private copy of the API loaded child-first from {@code apiJar}, as an
   * application inside a plugin host or a servlet container would. Fails if the copy is not a
   * distinct class, since the proof would then be void.
   */
  static Registrar childFirstRegistrar(Path apiJar) throws Exception {
    if (!Files.exists(apiJar)) {
      throw new IllegalArgumentException("child-first API jar not found: " + apiJar);
    }
    ClassLoader loader =
        new ChildFirstClassLoader(
            new URL[] {apiJar.toUri().toURL()}, SampleApp.class.getClassLoader());
    Class<?> registryClass = Class.forName("dev.lastcall.TaskRegistry", true, loader);
    if (registryClass.getClassLoader() != loader) {
      throw new IllegalStateException(
          "dev.lastcall.TaskRegistry was not loaded child-first from "
              + apiJar
              + " but by "
              + registryClass.getClassLoader());
    }
    Object registry = registryClass.getMethod("global").invoke(null);
    Method register = registryClass.getMethod("register", String.class);
    System.err.println(
        "sample-app: registering through a child-first copy of dev.lastcall.TaskRegistry"
            + " ("
            + loader.getName()
            + ")");
    return id -> {
      try {
        register.invoke(registry, id);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception ex) {
          throw ex;
        }
        throw e;
      }
    };
  }

  /** Set by the app's own shutdown hook: the JVM has begun to shut down. */
  private static final CountDownLatch SHUTTING_DOWN = new CountDownLatch(1);

  private static void addAppHooks(Options options) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  SHUTTING_DOWN.countDown();
                  if (options.announceShutdown()) {
                    System.out.println("SHUTDOWN-STARTED");
                    System.out.flush();
                  }
                },
                "sample-app-shutdown-flag"));
    for (int i = 0; i < options.appHooks(); i++) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      Thread.sleep(options.appHookMs()); // stands for the app's own slow clean-up
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "sample-app-hook-" + i));
    }
  }

  /** Registers every non-blank line of {@code file} as a task id; returns how many. */
  static int registerFromFile(Path file, Registrar registrar) throws Exception {
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String id = line.trim();
      if (!id.isEmpty()) {
        registrar.register(id);
        n++;
      }
    }
    return n;
  }

  /**
   * Threads that keep creating and registering tasks, appending each id to the race file right
   * after register() returns (one write call per line, so a line is whole or absent). Each stops
   * after registering {@code raceAfterShutdown} more once the JVM has begun to shut down, or when a
   * create fails.
   */
  private static void startRacers(Options options, String key, Registrar registrar)
      throws IOException {
    URL create = URI.create(options.baseUrl() + "/api/tasks").toURL();
    java.nio.channels.FileChannel out =
        java.nio.channels.FileChannel.open(
            options.raceFile(),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE,
            java.nio.file.StandardOpenOption.APPEND);
    AtomicInteger n = new AtomicInteger();
    for (int t = 0; t < options.raceThreads(); t++) {
      Thread racer =
          new Thread(
              () -> {
                int afterShutdown = 0;
                while (afterShutdown < options.raceAfterShutdown()) {
                  boolean late = SHUTTING_DOWN.getCount() == 0;
                  try {
                    String id =
                        createTask(create, key, "lastcall racing task " + n.incrementAndGet());
                    registrar.register(id);
                    synchronized (out) {
                      out.write(
                          java.nio.ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)));
                    }
                  } catch (Exception e) {
                    System.err.println("sample-app: racer stops: " + e);
                    return;
                  }
                  if (late || SHUTTING_DOWN.getCount() == 0) {
                    afterShutdown++;
                  }
                }
              },
              "sample-app-racer-" + t);
      racer.start();
    }
  }

  /** Calls System.exit from several threads released at once; the first wins, the rest block. */
  private static void exitFromSeveralThreads() throws InterruptedException {
    int threads = Math.max(4, Runtime.getRuntime().availableProcessors());
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                System.exit(0);
              },
              "exit-" + i);
      t.start();
    }
    go.countDown();
    new CountDownLatch(1).await(); // the JVM ends under us
  }
}
