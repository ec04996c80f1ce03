package dev.lastcall.agent.config;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * One problem {@link ConfigLoader} found: which key, where it came from, the value given, what is
 * wrong with it and what is accepted. Holds no secret: the API key cannot be configured through
 * these sources, and the value of a name that looks like a secret is never kept.
 */
public final class ConfigProblem {
  private final Key key;
  private final ConfigSource source;
  private final String name;
  private final String value;
  private final String message;
  private final String line;

  ConfigProblem(
      Key key, ConfigSource source, String name, String value, String message, String line) {
    this.key = key;
    this.source = source;
    this.name = name;
    this.value = value;
    this.message = message;
    this.line = line;
  }

  /** The key the problem is about; empty for a name that is no key, or an entry with no name. */
  public Optional<Key> key() {
    return Optional.ofNullable(key);
  }

  /** Where the value came from. */
  public ConfigSource source() {
    return source;
  }

  /** The name as spelled in its source: {@code timeout}, {@code lastcall.timeout}, ... */
  public String name() {
    return name;
  }

  /** The value given; empty when there was none or it is not shown (unknown or secret names). */
  public Optional<String> value() {
    return Optional.ofNullable(value);
  }

  /** What is wrong and what is accepted, e.g. {@code expected true or false}. */
  public String message() {
    return message;
  }

  /**
   * The whole line the agent prints: the key, the source, the quoted value, the message and what
   * the agent does instead (e.g. {@code ; using 10s}).
   */
  public String line() {
    return line;
  }

  @Override
  public String toString() {
    return line;
  }

  /**
   * Hands each problem's {@link #line()} to {@code lines}. A class rather than a lambda: premain
   * uses it, and a lambda would be a class spun up on the application's thread.
   */
  public static Consumer<ConfigProblem> asLines(Consumer<String> lines) {
    return new Lines(lines);
  }

  private static final class Lines implements Consumer<ConfigProblem> {
    private final Consumer<String> lines;

    Lines(Consumer<String> lines) {
      this.lines = lines;
    }

    @Override
    public void accept(ConfigProblem problem) {
      lines.accept(problem.line());
    }
  }
}
