package dev.lastcall.agent.cli;

import static dev.lastcall.internal.Quoting.quote;

import com.sun.tools.attach.VirtualMachine;
import dev.lastcall.agent.attach.AttachProtocol;
import dev.lastcall.agent.attach.KeyHandoff;
import dev.lastcall.agent.config.ApiKeys;
import dev.lastcall.agent.config.Key;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@code attach PID [options]}: loads this jar as an agent into a running JVM ({@code
 * VirtualMachine.loadAgent}, the manifest's {@code Agent-Class}), with the options as its {@code
 * key=value,...} arguments, and prints one line saying what the agent found there.
 *
 * <p>Before loading, it refuses with one message: a pid that names no process, another user's
 * process, a JVM that refuses attach, one that already has the agent (the {@link
 * AttachProtocol#LOADED} property: nothing is changed), one started with {@code
 * -XX:-EnableDynamicAgentLoading}. The API key never travels in the arguments: {@code --apiKeyFile}
 * is passed as a path, and a {@code BLACKBOX_API_KEY} of this command's environment through an
 * owner-only file the agent deletes as it reads it ({@link KeyHandoff}).
 */
final class AttachCommand {
  /** Options whose value is a path: made absolute here, since the target has its own directory. */
  private static final Set<Key> PATHS =
      EnumSet.of(Key.REPORT, Key.JOURNAL, Key.API_KEY_FILE, Key.CA_FILE);

  private AttachCommand() {}

  static long pid(List<String> operands) throws UsageException {
    return pid("attach", "attach PID [options]", operands);
  }

  /** The one process id {@code command} (shown as {@code form}) takes. */
  static long pid(String command, String form, List<String> operands) throws UsageException {
    if (operands.size() != 1) {
      throw new UsageException(
          command
              + " needs exactly one process id, as: "
              + form
              + " (got "
              + operands.size()
              + ")");
    }
    String pid = operands.get(0);
    try {
      long value = Long.parseLong(pid);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageException(
        command
            + " needs a process id, a positive whole number such as 12345 (see jps), but got "
            + quote(pid));
  }

  /** The agent arguments for {@code options}: {@code key=value,...}, paths made absolute. */
  static String agentArguments(Map<Key, String> options, Path workingDir) throws UsageException {
    StringBuilder args = new StringBuilder();
    for (Key key : CliArguments.ATTACH_OPTION_KEYS) { // a fixed order
      String value = options.get(key);
      if (value == null) {
        continue;
      }
      if (PATHS.contains(key)) {
        value = workingDir.resolve(value).toAbsolutePath().normalize().toString();
      }
      if (value.contains(",")) {
        throw new UsageException(
            "--"
                + key.argName()
                + " "
                + quote(value)
                + " holds a comma, which agent arguments cannot carry; use a value without one");
      }
      args.append(args.length() == 0 ? "" : ",").append(key.argName()).append('=').append(value);
    }
    return args.toString();
  }

  static int run(CliArguments arguments, Map<String, String> env, PrintStream out, PrintStream err)
      throws UsageException {
    long pid = pid(arguments.operands());
    String agentArgs = agentArguments(arguments.options(), Path.of(""));
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      err.println(AttachLine.noProcess(pid));
      return ExitCode.NOT_ATTACHED;
    }
    if (!looksLikeAJvm(pid)) {
      err.println(AttachLine.notAJvm(pid, process.get().info().command().orElse(null)));
      return ExitCode.NOT_ATTACHED;
    }
    Optional<Path> jar = ownJar();
    if (jar.isEmpty()) {
      err.println(AttachLine.notFromJar());
      return ExitCode.USAGE;
    }
    Optional<String> otherUser =
        AttachLine.otherUser(
            pid, process.get().info().user().orElse(null), System.getProperty("user.name"));
    // (Only root gets past this for another user's process.)
    if (otherUser.isPresent()) {
      err.println(otherUser.get());
      return ExitCode.NOT_ATTACHED;
    }
    String owner = process.get().info().user().orElse(null);
    String me = System.getProperty("user.name");
    try {
      return attach(
          pid,
          jar.get(),
          agentArgs,
          owner != null && !owner.equals(me) ? owner : null, // root, attaching to another's
          arguments.options(),
          env,
          out,
          err);
    } catch (NoClassDefFoundError noAttachApi) {
      err.println(AttachLine.noAttachModule());
      return ExitCode.NOT_ATTACHED;
    }
  }

  private static int attach(
      long pid,
      Path jar,
      String agentArgs,
      String keyOwner,
      Map<Key, String> options,
      Map<String, String> env,
      PrintStream out,
      PrintStream err) {
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Long.toString(pid));
    } catch (Exception e) { // AttachNotSupportedException, IOException, SecurityException
      err.println(AttachLine.cannotAttach(pid, e));
      return ExitCode.NOT_ATTACHED;
    }
    Path keyFile = null;
    Path agentKeyFile = null;
    try {
      Properties system = vm.getSystemProperties();
      String loaded = system.getProperty(AttachProtocol.LOADED);
      if (loaded != null) {
        err.println(AttachLine.alreadyLoaded(pid, loaded));
        return ExitCode.ALREADY_ATTACHED;
      }
      String jvmArgs = vm.getAgentProperties().getProperty("sun.jvm.args", "");
      if (jvmArgs.contains(AttachLine.DYNAMIC_LOADING_OFF)) {
        err.println(AttachLine.dynamicLoadingDisabled(pid));
        return ExitCode.NOT_ATTACHED;
      }
      String args = agentArgs;
      String key = env.get(ApiKeys.ENV);
      if (!options.containsKey(Key.API_KEY_FILE) && key != null && !key.isBlank()) {
        keyFile = KeyHandoff.write(key.trim(), keyOwner);
        args += (args.isEmpty() ? "" : ",") + AttachProtocol.KEY_HANDOFF + "=" + keyFile;
      }
      String agentKey = env.get(ApiKeys.AGENT_ENV);
      if (!options.containsKey(Key.AGENT_API_KEY_FILE) && agentKey != null && !agentKey.isBlank()) {
        agentKeyFile = KeyHandoff.write(agentKey.trim(), keyOwner);
        args += (args.isEmpty() ? "" : ",") + AttachProtocol.AGENT_KEY_HANDOFF + "=" + agentKeyFile;
      }
      try {
        vm.loadAgent(jar.toString(), args);
      } catch (Exception e) { // AgentLoadException, AgentInitializationException, IOException
        String message = String.valueOf(e.getMessage());
        err.println(
            message.contains("EnableDynamicAgentLoading")
                    || message.toLowerCase().contains("dynamic agent loading")
                ? AttachLine.dynamicLoadingDisabled(pid)
                : AttachLine.loadFailed(pid, e));
        return ExitCode.NOT_ATTACHED;
      }
      Map<String, String> facts =
          AttachProtocol.parse(vm.getSystemProperties().getProperty(AttachProtocol.ATTACHED));
      out.println(
          AttachLine.attached(
              pid, facts, javaVersion(system.getProperty("java.specification.version")), jvmArgs));
      Optional<String> keyProblem = AttachLine.keyProblem(pid, facts);
      keyProblem.ifPresent(err::println);
      return keyProblem.isPresent() ? ExitCode.NO_KEY_OR_UNAUTHORIZED : ExitCode.OK;
    } catch (IOException e) {
      err.println(AttachLine.cannotAttach(pid, e));
      return ExitCode.NOT_ATTACHED;
    } finally {
      if (keyFile != null) {
        KeyHandoff.discard(keyFile); // the agent deleted it already, unless it never ran
      }
      if (agentKeyFile != null) {
        KeyHandoff.discard(agentKeyFile);
      }
      try {
        vm.detach();
      } catch (IOException ignored) {
        // The connection is gone either way.
      }
    }
  }

  /**
   * False only when the process's memory map can be read and shows no HotSpot library: attaching to
   * anything else would wait some 10 s for an answer that never comes. True where there is no /proc
   * (the attach then says what went wrong).
   */
  static boolean looksLikeAJvm(long pid) {
    Path maps = Path.of("/proc", Long.toString(pid), "maps");
    if (!Files.isReadable(maps)) {
      return true;
    }
    try (var lines = Files.lines(maps)) {
      return lines.anyMatch(line -> line.contains("/libjvm."));
    } catch (IOException | RuntimeException unreadable) {
      return true;
    }
  }

  /** {@code 17}, {@code 21}, {@code 25}; 0 if unreadable. */
  static int javaVersion(String specification) {
    try {
      return Integer.parseInt(specification.startsWith("1.") ? "8" : specification);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** This class's jar, the agent to load; empty when run from a directory (tests). */
  private static Optional<Path> ownJar() {
    try {
      Path location =
          Path.of(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(location) ? Optional.of(location) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
