package dev.lastcall.agent.attach;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code attach} command and the agent inside the target say to each other, besides the
 * agent's ordinary {@code key=value,...} arguments: all of it in one place.
 *
 * <ul>
 *   <li>{@value #LOADED}: a system property the agent sets in its JVM as it starts, to {@code
 *       premain} or {@code attach}, so that {@code attach} sees through {@code
 *       VirtualMachine.getSystemProperties()} that the agent is there before loading it again. Not
 *       under {@code lastcall.}, which names configuration keys.
 *   <li>{@value #ATTACHED}: set by {@code agentmain} before it returns (the command's {@code
 *       loadAgent} waits for that), {@code key=value,...}: what the agent found ({@link
 *       #render}/{@link #parse}).
 *   <li>{@value #KEY_HANDOFF}: an argument only {@code agentmain} reads and removes before the
 *       configuration sees the rest: the path of an owner-only file holding the API key, which the
 *       agent reads and deletes at once ({@link KeyHandoff}); {@value #AGENT_KEY_HANDOFF} the same
 *       for the v1 Agent API key.
 * </ul>
 */
public final class AttachProtocol {
  public static final String LOADED = "dev.lastcall.agent";
  public static final String ATTACHED = "dev.lastcall.agent.attached";
  public static final String KEY_HANDOFF = "keyHandoff";

  /** As {@link #KEY_HANDOFF}, for the v1 Agent API key ({@code BLACKBOX_AGENT_API_KEY}). */
  public static final String AGENT_KEY_HANDOFF = "agentKeyHandoff";

  /** Number of other class loaders' registries joined. */
  public static final String REGISTRIES = "registries";

  /** Tasks those registries held. */
  public static final String JOINED = "joined";

  /** Tasks registered in all after the join. */
  public static final String TASKS = "tasks";

  /** {@code auto} (in place), {@code starting} (still being installed) or {@code off}. */
  public static final String TRACK = "track";

  /** {@code true}, or {@code false} when the configuration turned the agent off. */
  public static final String ENABLED = "enabled";

  /** {@code found} or {@code missing}: whether the agent can read an API key now. */
  public static final String KEY = "key";

  private AttachProtocol() {}

  /** {@code k=v,k=v}; values are words and numbers, never paths or secrets. */
  public static String render(Map<String, String> facts) {
    StringBuilder out = new StringBuilder();
    facts.forEach(
        (k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return out.toString();
  }

  /** The facts of {@link #render}; an empty map for null. */
  public static Map<String, String> parse(String rendered) {
    Map<String, String> facts = new LinkedHashMap<>();
    if (rendered == null) {
      return facts;
    }
    for (String entry : rendered.split(",")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        facts.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return facts;
  }
}
