package dev.lastcall.agent.attach;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ApiKeys;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.config.ConfigProblem;
import dev.lastcall.agent.registry.RegistryJoin;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.runtime.AgentRuntime;
import dev.lastcall.agent.tracking.TrackingStart;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code agentmain}: the agent loaded into a running JVM by the {@code attach} command (or any
 * other {@code VirtualMachine.loadAgent}). The same installer as premain, then what only an attach
 * needs: the key the command handed over ({@link KeyHandoff}), the registries of api copies that
 * initialised before the agent existed ({@link RegistryJoin}), and one system property saying what
 * was found ({@link AttachProtocol#ATTACHED}), which the command reads back. Not on the
 * application's start-up path, so it may take the few milliseconds this costs.
 */
public final class AttachedStart {
  /**
   * The longest agentmain waits for tracking to be in place (about 1 s on a cold 2-core machine).
   * It runs on the JVM's attach listener thread, not the application's.
   */
  private static final long TRACKING_WAIT_MILLIS = 15_000;

  private AttachedStart() {}

  /** Never throws; the caller catches anyway. */
  public static void start(String args, Instrumentation instrumentation) {
    Map<String, String> env = System.getenv();
    StringBuilder configArgs = new StringBuilder();
    Path keyFile = null;
    Path agentKeyFile = null;
    if (args != null) {
      for (String entry : args.split(",")) {
        if (entry.startsWith(AttachProtocol.KEY_HANDOFF + "=")) {
          keyFile = Path.of(entry.substring(AttachProtocol.KEY_HANDOFF.length() + 1));
        } else if (entry.startsWith(AttachProtocol.AGENT_KEY_HANDOFF + "=")) {
          agentKeyFile = Path.of(entry.substring(AttachProtocol.AGENT_KEY_HANDOFF.length() + 1));
        } else if (!entry.isBlank()) {
          configArgs.append(configArgs.length() == 0 ? "" : ",").append(entry);
        }
      }
    }
    if (keyFile != null) {
      try {
        Map<String, String> withKey = new HashMap<>(env);
        withKey.put(ApiKeys.ENV, KeyHandoff.take(keyFile));
        env = withKey;
      } catch (IOException | RuntimeException e) {
        AgentLog.line(
            "could not read the API key the attach command handed over ("
                + e.getClass().getSimpleName()
                + "); using this JVM's own BLACKBOX_API_KEY or apiKeyFile, if any");
      }
    }
    if (agentKeyFile != null) {
      try {
        Map<String, String> withKey = new HashMap<>(env);
        withKey.put(ApiKeys.AGENT_ENV, KeyHandoff.take(agentKeyFile));
        env = withKey;
      } catch (IOException | RuntimeException e) {
        AgentLog.line(
            "could not read the v1 Agent API key the attach command handed over ("
                + e.getClass().getSimpleName()
                + "); using this JVM's own BLACKBOX_AGENT_API_KEY or agentApiKeyFile, if any");
      }
    }
    AgentConfig config =
        ConfigLoader.load(
            configArgs.toString(),
            System.getProperties(),
            env,
            ConfigProblem.asLines(AgentLog.LINES));
    TrackingStart.Ready tracking = AgentRuntime.install(config, instrumentation, env);
    SharedRegistry registry = SharedRegistry.connect();
    RegistryJoin.Result joined = RegistryJoin.joinLoaded(instrumentation, registry);
    joined.problems().forEach(AgentLog::line);
    boolean key;
    try {
      ApiKeys.find(config, env);
      key = true;
    } catch (ApiKeys.MissingApiKeyException e) {
      // Either family's key is enough for the agent to cancel that family's tasks.
      key = ApiKeys.hasAgentKey(config, env);
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(AttachProtocol.ENABLED, Boolean.toString(config.enabled()));
    facts.put(AttachProtocol.REGISTRIES, Integer.toString(joined.copies()));
    facts.put(AttachProtocol.JOINED, Integer.toString(joined.tasks()));
    facts.put(AttachProtocol.TASKS, Integer.toString(registry.snapshot().size()));
    // The command says "tracking on" only when it is: built, and the loaded clients retransformed.
    boolean tracked = config.enabled() && config.track();
    facts.put(
        AttachProtocol.TRACK,
        !tracked ? "off" : tracking.await(TRACKING_WAIT_MILLIS) ? "auto" : "starting");
    facts.put(AttachProtocol.KEY, key ? "found" : "missing");
    System.setProperty(AttachProtocol.ATTACHED, AttachProtocol.render(facts));
  }
}
