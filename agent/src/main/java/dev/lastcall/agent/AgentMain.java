package dev.lastcall.agent;

import dev.lastcall.agent.cli.CommandLine;

/**
 * {@code java -jar lastcall-agent.jar}: usage and version with no arguments, and the commands
 * {@code sweep}, {@code cancel} and {@code status} (see {@code --help}).
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    int code =
        CommandLine.run(args, System.getProperties(), System.getenv(), System.out, System.err);
    System.out.flush();
    System.err.flush();
    // The client's threads are daemons, but exit at once rather than wait on anything else.
    System.exit(code);
  }
}
