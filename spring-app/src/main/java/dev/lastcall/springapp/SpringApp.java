package dev.lastcall.springapp;

import dev.lastcall.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * A Spring Boot application packaged as a fat jar ({@code BOOT-INF/lib} holds {@code lastcall-api},
 * loaded by Boot's own class loader), for the real-JVM tests. It creates {@code --tasks N} BLACKBOX
 * tasks with Spring's {@link RestClient}, prints {@code READY <n>} and waits to be stopped.
 *
 * <pre>
 * SpringApp --base-url URL --tasks N [--mode register|restclient] [--more-when FILE]
 * </pre>
 *
 * <ul>
 *   <li>{@code register} (the default): registers each task through the api nested in the fat jar,
 *       printing {@code REGISTERED <id>}. Started without the agent, that copy of {@code
 *       TaskRegistry} cannot find the system class loader's (there is none), so the agent attached
 *       later must join its state.
 *   <li>{@code restclient}: no Lastcall code at all, printing {@code CREATED <id>}; only the
 *       agent's tracking can protect these tasks.
 * </ul>
 *
 * <p>With {@code --more-when FILE}, after READY it waits for FILE to exist (a test creates it once
 * it has attached the agent), then creates {@code N} more tasks the same way and prints {@code MORE
 * <n>}.
 *
 * <p>The {@code RestClient.Builder} is Boot's auto-configured one. With only {@code
 * spring-boot-starter-web} on Boot 3.5 (no Apache HttpClient, Jetty client or Reactor Netty on the
 * class path), Boot's detection picks the JDK's {@code java.net.http.HttpClient} ({@code
 * JdkClientHttpRequestFactory}); the app prints {@code FACTORY <class>} so a test can say so.
 *
 * <p>The key comes from {@code APP_API_KEY} if set, else {@code BLACKBOX_API_KEY}; never printed.
 * Other options (those the shared launcher passes to every test app) are ignored.
 */
@SpringBootApplication
public class SpringApp {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"\\\\]+)\"");

  public static void main(String[] args) throws Exception {
    String baseUrl = null;
    int tasks = 1;
    String mode = "register";
    Path moreWhen = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--base-url" -> baseUrl = args[i + 1].replaceAll("/+$", "");
        case "--tasks" -> tasks = Integer.parseInt(args[i + 1]);
        case "--mode" -> mode = args[i + 1];
        case "--more-when" -> moreWhen = Path.of(args[i + 1]);
        default -> {}
      }
    }
    if (baseUrl == null) {
      System.err.println("--base-url URL is required");
      System.exit(2);
    }
    // Our own arguments are not Spring properties: hand it none.
    var context = SpringApplication.run(SpringApp.class);
    RestClient.Builder builder = context.getBean(RestClient.Builder.class);
    RestClient client = builder.baseUrl(baseUrl).build();
    // The factory Boot detected, which the auto-configured builder uses: here
    // JdkClientHttpRequestFactory, the JDK's HttpClient, which the agent's tracking covers.
    System.out.println(
        "FACTORY "
            + context.getBean(ClientHttpRequestFactoryBuilder.class).build().getClass().getName());
    // APP_API_KEY lets a test keep the key out of the agent's reach (it reads BLACKBOX_API_KEY).
    String key = System.getenv().getOrDefault("APP_API_KEY", System.getenv("BLACKBOX_API_KEY"));
    createTasks(client, key, tasks, mode);
    System.out.println("REGISTRY " + TaskRegistry.class.getClassLoader().getClass().getName());
    System.out.println("READY " + tasks);
    System.out.flush();
    if (moreWhen != null) {
      while (!Files.exists(moreWhen)) {
        Thread.sleep(20); // the app's own wait for the test's go-ahead
      }
      createTasks(client, key, tasks, mode);
      System.out.println("MORE " + tasks);
      System.out.flush();
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void createTasks(RestClient client, String key, int tasks, String mode) {
    for (int n = 0; n < tasks; n++) {
      String body =
          client
              .post()
              .uri("/api/tasks")
              .header("Authorization", "Bearer " + key)
              .contentType(MediaType.APPLICATION_JSON)
              .body("{\"prompt\":\"spring task " + n + "\",\"selectedAgent\":\"claude\"}")
              .retrieve()
              .body(String.class);
      Matcher id = ID.matcher(body == null ? "" : body);
      if (!id.find()) {
        System.err.println("no id in the create answer");
        System.exit(3);
      }
      switch (mode) {
        case "register" -> {
          TaskRegistry.global().register(id.group(1));
          System.out.println("REGISTERED " + id.group(1));
        }
        case "restclient" -> System.out.println("CREATED " + id.group(1));
        default -> throw new IllegalArgumentException("unknown --mode " + mode);
      }
    }
  }
}
