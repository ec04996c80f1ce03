package dev.lastcall.agent;

/** {@code java -jar lastcall-agent.jar}: the agent is not a program; say how to use it. */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    String version = AgentMain.class.getPackage().getImplementationVersion();
    System.out.println("Lastcall agent " + (version == null ? "(development build)" : version));
    System.out.println();
    System.out.println("Attach it to a JVM to cancel every registered BLACKBOX task when that JVM stops:");
    System.out.println("  BLACKBOX_API_KEY=bb_... java -javaagent:lastcall-agent.jar[=key=value,...] -jar app.jar");
    System.out.println();
    System.out.println("Keys (agent arguments; or system properties lastcall.KEY; or environment LASTCALL_KEY):");
    System.out.println("  baseUrl        Tasks API base URL (default https://cloud.blackbox.ai)");
    System.out.println("  timeout        the whole bounded wait at shutdown, e.g. 500ms, 10s (default 10s)");
    System.out.println("  concurrency    requests in flight at once while cancelling (default 256)");
    System.out.println("  report         path of a JSON report written at shutdown");
    System.out.println("  enabled        true or false (default true)");
    System.out.println("  apiKeyFile     file holding the API key (default: the BLACKBOX_API_KEY variable)");
    System.out.println("  allowInsecure  allow plain http to a non-loopback host (default false)");
    System.exit(args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]) ? 0 : 2);
  }
}
