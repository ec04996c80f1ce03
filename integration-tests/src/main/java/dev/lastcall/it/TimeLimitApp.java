package dev.lastcall.it;

import dev.lastcall.testsupport.ChildFirstClassLoader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * An application that uses the while-running API (time limits, listeners, cancel on demand) and
 * keeps running: it prints what it sees on stdout, one fact per line, for a test to compare with
 * the emulator, and waits to be stopped.
 *
 * <pre>
 * TimeLimitApp --base-url URL --mode limits|on-demand [--api system|child-first:PATH-TO-API-JAR]
 *              [--limited N] [--by-default N] [--long N] [--closed N] [--tasks N]
 * </pre>
 *
 * <ul>
 *   <li>{@code limits}: adds a listener, then creates and registers {@code --closed} tasks with a 1
 *       s limit and closes them at once, {@code --limited} with a 1 s limit, {@code --by-default}
 *       with no limit of their own (the agent's {@code maxRuntime} applies) and {@code --long} with
 *       a 10 min limit. Prints {@code TASK <kind> <id>} for each, {@code READY <n>}, then {@code
 *       OUTCOME <id> <outcome> registered=<bool> afterMs=<ms since register>} from the listener.
 *   <li>{@code on-demand}: creates and registers {@code --tasks} tasks, prints {@code READY <n>},
 *       calls {@code cancelAll(10 s)} at once (the agent may still be starting) and prints {@code
 *       REPORT <id> <outcome>} per task, {@code REPORT-CLASSES <loader name>} and {@code REGISTERED
 *       <n>}; then creates one more task, calls {@code cancel(id)} and prints {@code CANCEL <id>
 *       <outcome> deadlineMs=<ms>} and {@code REGISTERED <n>}; then {@code DONE}.
 * </ul>
 *
 * The api is used through reflection on the class the chosen loader gives, so the same code runs
 * against the system class loader's copy or a private child-first copy. The API key comes only from
 * {@code BLACKBOX_API_KEY}. Exit code 2: usage; 3: setup failed.
 */
public final class TimeLimitApp {

  private TimeLimitApp() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new ConcurrentHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        usage("unexpected argument " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    if (args.length % 2 != 0 || !options.containsKey("base-url") || !options.containsKey("mode")) {
      usage("--base-url and --mode are required");
    }
    String key = System.getenv("BLACKBOX_API_KEY");
    if (key == null || key.isBlank()) {
      usage("environment variable BLACKBOX_API_KEY is not set");
    }
    URL create = URI.create(options.get("base-url").replaceAll("/$", "") + "/api/tasks").toURL();
    Api api;
    try {
      api = Api.load(options.getOrDefault("api", "system"));
    } catch (Exception e) {
      System.err.println("time-limit-app: cannot load the api: " + e);
      System.exit(3);
      return;
    }
    switch (options.get("mode")) {
      case "limits" -> limits(api, create, key, options);
      case "on-demand" -> onDemand(api, create, key, options);
      default -> usage("--mode takes limits or on-demand");
    }
    new CountDownLatch(1).await(); // keep running until a signal stops the JVM
  }

  private static void limits(Api api, URL create, String key, Map<String, String> options)
      throws Exception {
    Map<String, Long> registeredAt = new ConcurrentHashMap<>();
    api.addListener(
        (id, outcome) -> {
          long afterMs =
              (System.nanoTime() - registeredAt.getOrDefault(id, System.nanoTime())) / 1_000_000;
          boolean registered;
          try {
            registered = api.isRegistered(id);
          } catch (Exception e) {
            registered = true;
          }
          line(
              "OUTCOME "
                  + id
                  + " "
                  + outcome
                  + " registered="
                  + registered
                  + " afterMs="
                  + afterMs);
        });
    int n = 0;
    for (String kind : List.of("closed", "limited", "by-default", "long")) {
      int count = Integer.parseInt(options.getOrDefault(kind, "0"));
      for (int i = 0; i < count; i++) {
        String id = SampleApp.createTask(create, key, "time limit app " + kind + " " + i);
        registeredAt.put(id, System.nanoTime());
        switch (kind) {
          case "closed" -> api.close(api.register(id, Duration.ofSeconds(1)));
          case "limited" -> api.register(id, Duration.ofSeconds(1));
          case "by-default" -> api.register(id, null);
          default -> api.register(id, Duration.ofMinutes(10));
        }
        line("TASK " + kind + " " + id);
        n++;
      }
    }
    line("READY " + n);
  }

  private static void onDemand(Api api, URL create, String key, Map<String, String> options)
      throws Exception {
    int count = Integer.parseInt(options.getOrDefault("tasks", "5"));
    for (int i = 0; i < count; i++) {
      String id = SampleApp.createTask(create, key, "on-demand app " + i);
      api.register(id, null);
      line("TASK on-demand " + id);
    }
    line("READY " + count);
    Object report = api.cancelAll(Duration.ofSeconds(10));
    for (Object task : (List<?>) call(report, "tasks")) {
      line("REPORT " + call(task, "id") + " " + call(task, "outcome"));
    }
    line("REPORT-CLASSES " + report.getClass().getClassLoader().getName());
    line("REGISTERED " + api.size());

    String one = SampleApp.createTask(create, key, "on-demand app, one more");
    api.register(one, null);
    Object single = api.cancel(one);
    Object outcome = ((List<?>) call(single, "tasks")).get(0);
    line(
        "CANCEL "
            + call(outcome, "id")
            + " "
            + call(outcome, "outcome")
            + " deadlineMs="
            + ((Duration) call(single, "deadline")).toMillis());
    line("REGISTERED " + api.size());
    line("DONE");
  }

  /** The api through reflection on the {@code TaskRegistry} class a loader gives. */
  private static final class Api {
    private final Object registry;
    private final Class<?> type;
    private final Class<?> listenerType;

    private Api(Class<?> type) throws Exception {
      this.type = type;
      this.registry = type.getMethod("global").invoke(null);
      this.listenerType = Class.forName("dev.lastcall.TaskListener", true, type.getClassLoader());
    }

    static Api load(String via) throws Exception {
      if (via.equals("system")) {
        return new Api(
            Class.forName("dev.lastcall.TaskRegistry", true, ClassLoader.getSystemClassLoader()));
      }
      if (!via.startsWith("child-first:")) {
        throw new IllegalArgumentException("--api takes system or child-first:<path-to-api-jar>");
      }
      Path jar = Path.of(via.substring("child-first:".length()));
      if (!Files.exists(jar)) {
        throw new IllegalArgumentException("api jar not found: " + jar);
      }
      ClassLoader loader =
          new ChildFirstClassLoader(
              new URL[] {jar.toUri().toURL()}, TimeLimitApp.class.getClassLoader());
      Class<?> type = Class.forName("dev.lastcall.TaskRegistry", true, loader);
      if (type.getClassLoader() != loader) {
        throw new IllegalStateException(
            "TaskRegistry was not loaded child-first but by " + type.getClassLoader());
      }
      return new Api(type);
    }

    Object register(String id, Duration maxRuntime) throws Exception {
      return maxRuntime == null
          ? invoke(type.getMethod("register", String.class), id)
          : invoke(type.getMethod("register", String.class, Duration.class), id, maxRuntime);
    }

    void close(Object handle) throws Exception {
      handle.getClass().getMethod("close").invoke(handle);
    }

    boolean isRegistered(String id) throws Exception {
      return (Boolean) invoke(type.getMethod("isRegistered", String.class), id);
    }

    int size() throws Exception {
      return (Integer) invoke(type.getMethod("size"));
    }

    Object cancelAll(Duration deadline) throws Exception {
      return invoke(type.getMethod("cancelAll", Duration.class), deadline);
    }

    Object cancel(String id) throws Exception {
      return invoke(type.getMethod("cancel", String.class), id);
    }

    /**
     * Adds a TaskListener of this copy's own type that hands (id, outcome name) to {@code sink}.
     */
    void addListener(java.util.function.BiConsumer<String, String> sink) throws Exception {
      Object listener =
          Proxy.newProxyInstance(
              type.getClassLoader(),
              new Class<?>[] {listenerType},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "onOutcome" -> {
                      sink.accept(
                          (String) call(args[0], "id"), String.valueOf(call(args[0], "outcome")));
                      yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "TimeLimitApp listener";
                  });
      invoke(type.getMethod("addListener", listenerType), listener);
    }

    private Object invoke(Method method, Object... args) throws Exception {
      try {
        return method.invoke(registry, args);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof Exception ex ? ex : e;
      }
    }
  }

  private static Object call(Object target, String method) throws Exception {
    return target.getClass().getMethod(method).invoke(target);
  }

  private static synchronized void line(String text) {
    System.out.println(text);
    System.out.flush();
  }

  private static void usage(String problem) {
    System.err.println("time-limit-app: " + problem);
    System.err.println(
        "usage: TimeLimitApp --base-url URL --mode limits|on-demand [--api system|child-first:JAR]"
            + " [--limited N] [--by-default N] [--long N] [--closed N] [--tasks N]");
    System.exit(2);
  }
}
