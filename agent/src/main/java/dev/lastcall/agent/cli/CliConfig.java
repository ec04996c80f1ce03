package dev.lastcall.agent.cli;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.config.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The configuration of one command: the options, then {@code lastcall.*} system properties, then
 * {@code LASTCALL_*} variables, then the defaults, through the agent's own {@link ConfigLoader}, so
 * every key is read and checked exactly as the agent does.
 *
 * <p>The options are laid over the system properties, the loader's second-highest source. Where the
 * agent falls back to a default for a bad value, a command refuses to run: a bad option is a usage
 * error, not something to guess around. Problems in properties or the environment are warnings, as
 * they are for the agent.
 */
final class CliConfig {
  private CliConfig() {}

  static AgentConfig load(
      CliArguments arguments, Properties system, Map<String, String> env, Consumer<String> warnings)
      throws UsageException {
    Properties properties = new Properties();
    for (String name : system.stringPropertyNames()) {
      properties.setProperty(name, system.getProperty(name));
    }
    arguments.options().forEach((key, value) -> properties.setProperty(key.propertyName(), value));
    List<String> problems = new ArrayList<>();
    AgentConfig config = ConfigLoader.load(null, properties, env, problems::add);
    for (String problem : problems) {
      Key option = optionNamedIn(problem, arguments);
      if (option != null) {
        throw new UsageException(asOptionProblem(problem, option));
      }
      warnings.accept(problem);
    }
    return config;
  }

  private static Key optionNamedIn(String problem, CliArguments arguments) {
    for (Key key : arguments.options().keySet()) {
      if (problem.contains("(system property " + key.propertyName() + ")")) {
        return key;
      }
    }
    return null;
  }

  /** The loader's line, said of the option, without the fallback the agent would take. */
  private static String asOptionProblem(String problem, Key option) {
    String line =
        problem
            .replace("invalid " + option.argName() + " ", "invalid --" + option.argName() + " ")
            .replace(" (system property " + option.propertyName() + ")", "");
    for (String fallback : List.of("; using ", "; the agent is disabled")) {
      int at = line.indexOf(fallback);
      if (at >= 0) {
        line = line.substring(0, at);
      }
    }
    return line;
  }
}
