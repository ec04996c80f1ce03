package dev.lastcall.agent.cli;

import static dev.lastcall.internal.Quoting.quote;

import dev.lastcall.agent.config.Key;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line: {@code COMMAND [--key value | --key=value]... [operand]...}. Options are
 * the agent's own configuration keys, spelled as in agent arguments, and may come anywhere after
 * the command; {@code --} ends the options.
 *
 * @param command {@code sweep}, {@code cancel}, {@code status}, {@code attach}, {@code tasks},
 *     {@code help} or {@code version}
 * @param operands the task ids
 * @param options option values by key, as given
 * @param watch sweep only: {@code --watch} (keep sweeping) and its {@code --every} interval, or
 *     null
 */
record CliArguments(
    String command, List<String> operands, Map<Key, String> options, SweepWatch watch) {
  /** {@code sweep --watch [--every D]}; {@code every} is null for the default (leaseTtl/2). */
  record SweepWatch(String every) {}

  CliArguments(String command, List<String> operands, Map<Key, String> options) {
    this(command, operands, options, null);
  }

  static final List<String> COMMANDS = List.of("sweep", "cancel", "status", "attach", "tasks");

  /**
   * The keys that mean something to a command (enabled and maxRuntime only make sense inside an
   * app).
   */
  static final Set<Key> OPTION_KEYS =
      EnumSet.of(
          Key.BASE_URL,
          Key.TIMEOUT,
          Key.CONCURRENCY,
          Key.REPORT,
          Key.JOURNAL,
          Key.LEASE_TTL,
          Key.JOURNAL_PASSWORD_FILE,
          Key.API_KEY_FILE,
          Key.AGENT_BASE_URL,
          Key.AGENT_API_KEY_FILE,
          Key.ALLOW_INSECURE,
          Key.CA_FILE,
          Key.PROXY);

  /**
   * The keys {@code attach} passes to the agent it loads: every one but {@code enabled} (an agent
   * attached to be off is no agent).
   */
  static final Set<Key> ATTACH_OPTION_KEYS = EnumSet.complementOf(EnumSet.of(Key.ENABLED));

  static Set<Key> optionKeys(String command) {
    if (command.equals("tasks")) {
      return EnumSet.noneOf(Key.class); // it reads the JVM's own JMX: nothing to configure
    }
    return command.equals("attach") ? ATTACH_OPTION_KEYS : OPTION_KEYS;
  }

  static CliArguments parse(String[] args) throws UsageException {
    if (args.length == 0) {
      return new CliArguments("help", List.of(), Map.of());
    }
    String first = args[0];
    switch (first) {
      case "--help":
      case "-h":
      case "help":
        return new CliArguments("help", List.of(), Map.of());
      case "--version":
      case "-V":
      case "version":
        return new CliArguments("version", List.of(), Map.of());
      default:
        break;
    }
    if (!COMMANDS.contains(first)) {
      throw new UsageException(
          "unknown command "
              + quote(first)
              + "; accepted: "
              + String.join(", ", COMMANDS)
              + ", help, version (or --help, --version)");
    }
    List<String> operands = new ArrayList<>();
    Map<Key, String> options = new LinkedHashMap<>();
    boolean optionsEnded = false;
    boolean watch = false;
    String every = null;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        operands.add(arg);
      } else if (first.equals("sweep") && arg.equals("--watch")) {
        watch = true;
      } else if (first.equals("sweep") && (arg.equals("--every") || arg.startsWith("--every="))) {
        if (arg.startsWith("--every=")) {
          every = arg.substring("--every=".length());
        } else if (i + 1 < args.length) {
          every = args[++i];
        } else {
          throw new UsageException("--every needs a value, as --every 15s");
        }
      } else if (arg.equals("--")) {
        optionsEnded = true;
      } else if (arg.equals("--help") || arg.equals("-h")) {
        return new CliArguments("help", List.of(), Map.of());
      } else {
        int eq = arg.indexOf('=');
        String name = arg.substring(arg.startsWith("--") ? 2 : 1, eq < 0 ? arg.length() : eq);
        Key key = option(first, name);
        String value;
        if (eq >= 0) {
          value = arg.substring(eq + 1);
        } else if (key == Key.ALLOW_INSECURE) {
          // A switch: alone it means true, and it never takes the next word, which may be an id.
          if (i + 1 < args.length
              && (args[i + 1].equalsIgnoreCase("true") || args[i + 1].equalsIgnoreCase("false"))) {
            throw new UsageException(
                "--"
                    + name
                    + " takes no separate value (got "
                    + quote(args[i + 1])
                    + "); write --"
                    + name
                    + " for true or --"
                    + name
                    + "=false");
          }
          value = "true";
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new UsageException(
              "--" + name + " needs a value, as --" + name + " VALUE or --" + name + "=VALUE");
        }
        if (options.put(key, value) != null) {
          throw new UsageException("--" + name + " is given more than once; give it once");
        }
      }
    }
    if (every != null && !watch) {
      throw new UsageException("--every goes with --watch, as: sweep --watch --every 15s");
    }
    return new CliArguments(
        first, List.copyOf(operands), Map.copyOf(options), watch ? new SweepWatch(every) : null);
  }

  private static Key option(String command, String name) throws UsageException {
    Set<Key> accepted = optionKeys(command);
    if (accepted.isEmpty()) {
      return fail(
          command + " takes no options (got " + quote("--" + name) + "), as: " + command + " PID");
    }
    for (Key key : accepted) {
      if (key.argName().equals(name)) {
        return key;
      }
    }
    StringBuilder names = new StringBuilder();
    for (Key key : accepted) {
      names.append(names.length() == 0 ? "" : ", ").append("--").append(key.argName());
    }
    String agentOnly = "";
    for (Key key : Key.values()) {
      if (key.argName().equals(name)) {
        agentOnly = " (" + name + " is a setting of the agent inside an app, not of a command)";
      }
    }
    return fail(
        "unknown option "
            + quote("--" + name)
            + agentOnly
            + "; accepted: "
            + names
            + ", --help (the API keys are read only from BLACKBOX_API_KEY or the file named by"
            + " --apiKeyFile, and BLACKBOX_AGENT_API_KEY or --agentApiKeyFile)");
  }

  private static Key fail(String message) throws UsageException {
    throw new UsageException(message);
  }
}
