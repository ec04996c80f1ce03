package dev.lastcall.agent.cli;

import static dev.lastcall.internal.Quoting.quote;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.config.ConfigProblem;
import dev.lastcall.agent.config.ConfigSource;
import dev.lastcall.agent.config.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    List<ConfigProblem> problems = new ArrayList<>();
    AgentConfig config = ConfigLoader.load(null, properties, env, problems::add);
    for (ConfigProblem problem : problems) {
      Optional<Key> key = problem.key();
      // An option overwrote that property, so a problem with it is the option's.
      if (key.isPresent()
          && problem.source() == ConfigSource.SYSTEM_PROPERTY
          && arguments.options().containsKey(key.get())) {
        throw new UsageException(
            "invalid --"
                + key.get().argName()
                + " "
                + quote(problem.value().orElse(""))
                + ": "
                + problem.message());
      }
      warnings.accept(problem.line());
    }
    return config;
  }
}
