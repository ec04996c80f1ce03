package dev.lastcall.agent.cli;

/** The text of {@code --help} and {@code --version}. */
final class Usage {
  private Usage() {}

  static String version() {
    String version = Usage.class.getPackage().getImplementationVersion();
    return "Lastcall agent " + (version == null ? "(development build)" : version);
  }

  static String text() {
    return version()
        + "\n"
        + "\n"
        + "As an agent: cancels every registered BLACKBOX task when the JVM stops.\n"
        + "  BLACKBOX_API_KEY=bb_... java -javaagent:lastcall-agent.jar[=key=value,...] -jar"
        + " app.jar\n"
        + "\n"
        + "As a command:\n"
        + "  java -jar lastcall-agent.jar sweep --journal DIR|redis://... [--watch [--every D]]"
        + " [options]\n"
        + "      cancel the tasks left running by JVMs that died without shutting down (SIGKILL,"
        + " OOM\n"
        + "      kill, crash), as recorded by agents started with the same journal; --watch keeps\n"
        + "      sweeping (every D, default leaseTtl/2) until SIGTERM\n"
        + "  java -jar lastcall-agent.jar cancel [options] ID...    stop these tasks now\n"
        + "  java -jar lastcall-agent.jar status [options] ID...    show these tasks' status\n"
        + "  java -jar lastcall-agent.jar attach PID [options]\n"
        + "      load the agent into a running JVM started without it (same user; a full JDK):\n"
        + "      its registered tasks, also those of api copies in fat-jar or web-app class\n"
        + "      loaders, are then cancelled when it stops. Options: any key but enabled. The\n"
        + "      key is handed over privately from BLACKBOX_API_KEY, or give --apiKeyFile.\n"
        + "      Prints one line. On Java 21+ the JVM itself prints \"WARNING: A Java agent has\n"
        + "      been loaded dynamically\" (JEP 451): expected; start it with\n"
        + "      -XX:+EnableDynamicAgentLoading (or -javaagent) to silence it.\n"
        + "  java -jar lastcall-agent.jar help | version    (also --help, --version)\n"
        + "  (put -- before task ids that start with '-')\n"
        + "  cancel and status print one line per task: ID  STATE  DETAIL\n"
        + "\n"
        + "Keys: options --KEY VALUE or --KEY=VALUE for the commands, KEY=VALUE as agent"
        + " arguments;\n"
        + "otherwise system properties lastcall.KEY, then environment variables LASTCALL_KEY:\n"
        + "  baseUrl        Tasks API base URL (default https://cloud.blackbox.ai)\n"
        + "  timeout        the whole bounded wait, e.g. 500ms, 10s (default 10s)\n"
        + "  concurrency    requests in flight at once while cancelling (default 256)\n"
        + "  report         path of a JSON report (agent: at shutdown; commands: cancel and"
        + " sweep)\n"
        + "  journal        where crash journals live: a directory, or"
        + " redis://[user:password@]host:port[/db]\n"
        + "                 (rediss:// for TLS; needs lastcall-journal-redis.jar beside the agent"
        + " jar);\n"
        + "                 the agent records every registration there and sweeps what JVMs that"
        + " are gone left\n"
        + "  leaseTtl       Redis journal: how long a JVM's lease lives unrenewed (default 30s)\n"
        + "  journalPasswordFile  Redis journal: file holding the password (instead of the URL's)\n"
        + "  apiKeyFile     file holding the API key (default: the BLACKBOX_API_KEY variable)\n"
        + "  allowInsecure  allow plain http to a non-loopback host (default false); as an option\n"
        + "                 --allowInsecure alone means true, --allowInsecure=false false\n"
        + "  caFile         PEM file of CA certificates trusted in addition to the JVM's default\n"
        + "                 trust (cacerts or javax.net.ssl.trustStore)\n"
        + "  proxy          http://[user:password@]host:port or none (default: the JVM's\n"
        + "                 https.proxyHost, else HTTPS_PROXY and NO_PROXY, else direct)\n"
        + "  track          agent and attach: auto (find the tasks the app creates with its own\n"
        + "                 HTTP client) or off (default auto)\n"
        + "  enabled        agent only: true or false (default true)\n"
        + "  maxRuntime     agent and attach: time limit for tasks registered without their own\n"
        + "The API key is read only from BLACKBOX_API_KEY or the file named by apiKeyFile.\n"
        + "\n"
        + "Exit codes of the commands:\n"
        + "  0  every task confirmed stopped or already done (sweep: nothing left in the"
        + " journals;\n"
        + "     status: every status read); also for --help and --version\n"
        + "  1  not all confirmed: some timed out, failed or were not found (sweep: some are kept\n"
        + "     for the next sweep; status: some could not be read)\n"
        + "  2  usage error: unknown command or option, bad value, bad task id\n"
        + "  3  no API key, or the API refused it (HTTP 401); attach: the agent found no key\n"
        + "  4  attach: not attached (no such process, another user's, not a JVM accepting"
        + " attach,\n"
        + "     started with -XX:-EnableDynamicAgentLoading)\n"
        + "  5  attach: the agent is already in that JVM (-javaagent or an earlier attach);\n"
        + "     nothing was changed\n";
  }
}
