package dev.lastcall.agent.config;

import dev.lastcall.client.ClientDefaults;
import dev.lastcall.client.proxy.ProxySetting;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's settled configuration: immutable, every value already validated. Built by {@link
 * ConfigLoader}; holds no secret (the API key is read later by {@link ApiKeys}).
 */
public final class AgentConfig {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);

  private final boolean enabled;
  private final String disabledBecause;
  private final URI baseUrl;
  private final boolean allowInsecure;
  private final Duration timeout;
  private final int concurrency;
  private final Path report;
  private final Path apiKeyFile;
  private final JournalLocation journal;
  private final Duration leaseTtl;
  private final Path journalPasswordFile;
  private final Duration maxRuntime;
  private final Path caFile;
  private final ProxySetting proxy;
  private final boolean track;
  private final URI agentBaseUrl;
  private final Path agentApiKeyFile;

  AgentConfig(
      boolean enabled,
      String disabledBecause,
      URI baseUrl,
      boolean allowInsecure,
      Duration timeout,
      int concurrency,
      Path report,
      Path apiKeyFile,
      JournalLocation journal,
      Duration leaseTtl,
      Path journalPasswordFile,
      Duration maxRuntime,
      Path caFile,
      ProxySetting proxy,
      boolean track,
      URI agentBaseUrl,
      Path agentApiKeyFile) {
    this.enabled = enabled;
    this.disabledBecause = disabledBecause;
    this.baseUrl = baseUrl;
    this.allowInsecure = allowInsecure;
    this.timeout = timeout;
    this.concurrency = concurrency;
    this.report = report;
    this.apiKeyFile = apiKeyFile;
    this.journal = journal;
    this.leaseTtl = leaseTtl;
    this.journalPasswordFile = journalPasswordFile;
    this.maxRuntime = maxRuntime;
    this.caFile = caFile;
    this.proxy = proxy;
    this.track = track;
    this.agentBaseUrl = agentBaseUrl;
    this.agentApiKeyFile = agentApiKeyFile;
  }

  /** The defaults, used where nothing was configured. */
  public static AgentConfig defaults() {
    return new AgentConfig(
        true,
        null,
        URI.create(ClientDefaults.BASE_URL),
        false,
        DEFAULT_TIMEOUT,
        ClientDefaults.CONCURRENCY,
        null,
        null,
        null,
        DEFAULT_LEASE_TTL,
        null,
        null,
        null,
        null,
        true,
        URI.create(ClientDefaults.AGENT_BASE_URL),
        null);
  }

  /**
   * The v1 Agent API's base URL ({@code agentBaseUrl}, default {@code
   * ClientDefaults.AGENT_BASE_URL}).
   */
  public URI agentBaseUrl() {
    return agentBaseUrl;
  }

  /**
   * A file holding the v1 Agent API key, read instead of {@code BLACKBOX_AGENT_API_KEY} when set.
   */
  public Optional<Path> agentApiKeyFile() {
    return Optional.ofNullable(agentApiKeyFile);
  }

  /**
   * True ({@code track=auto}, the default) to register the tasks the application creates through
   * its own HTTP client, found by instrumentation; false ({@code track=off}) to install none.
   */
  public boolean track() {
    return track;
  }

  /** False when configured off, or when a value the agent cannot work without was refused. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Why the agent is disabled although nobody asked for that, e.g. {@code baseUrl "ftp://x" (agent
   * argument baseUrl) was refused: expected ...}: what it says at shutdown about the tasks it
   * leaves running. Empty when enabled, and when configured {@code enabled=false} (which stays
   * silent).
   */
  public Optional<String> disabledBecause() {
    return Optional.ofNullable(disabledBecause);
  }

  /** Whether plain http to a host other than loopback was allowed ({@code allowInsecure}). */
  public boolean allowInsecure() {
    return allowInsecure;
  }

  /** Where the Tasks API lives, without a trailing slash. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** The whole bounded wait at shutdown, from the hook's start to its return. */
  public Duration timeout() {
    return timeout;
  }

  /** How many requests may be in flight at once while cancelling. */
  public int concurrency() {
    return concurrency;
  }

  /** Where to write the JSON report, if anywhere. */
  public Optional<Path> report() {
    return Optional.ofNullable(report);
  }

  /** A file holding the API key, read instead of {@code BLACKBOX_API_KEY} when set. */
  public Optional<Path> apiKeyFile() {
    return Optional.ofNullable(apiKeyFile);
  }

  /** Where crash-recovery journals live (a directory or a Redis server), if journaling is on. */
  public Optional<JournalLocation> journal() {
    return Optional.ofNullable(journal);
  }

  /** The journal directory, if the journal is a directory ({@code journal=DIR}). */
  public Optional<Path> journalDirectory() {
    return journal == null ? Optional.empty() : journal.directory();
  }

  /**
   * How long a JVM's lease in a Redis journal lives without renewal ({@code leaseTtl}, default
   * 30s): a sweeper takes a JVM whose lease expired for gone.
   */
  public Duration leaseTtl() {
    return leaseTtl;
  }

  /** A file holding the Redis journal's password ({@code journalPasswordFile}), if set. */
  public Optional<Path> journalPasswordFile() {
    return Optional.ofNullable(journalPasswordFile);
  }

  /** The time limit applied to registrations that do not name their own, if any. */
  public Optional<Duration> maxRuntime() {
    return Optional.ofNullable(maxRuntime);
  }

  /**
   * A PEM file of CA certificates trusted in addition to the JVM's default trust, if any. Checked
   * when loaded (it exists, is readable and has a certificate line); its certificates are parsed
   * when the client is built.
   */
  public Optional<Path> caFile() {
    return Optional.ofNullable(caFile);
  }

  /**
   * The {@code proxy} setting (a proxy, or none), above the JVM's proxy settings and {@code
   * HTTPS_PROXY}; empty when not set. Its {@code toString} holds no credentials.
   */
  public Optional<ProxySetting> proxy() {
    return Optional.ofNullable(proxy);
  }

  @Override
  public String toString() {
    return "AgentConfig{enabled="
        + enabled
        + (disabledBecause == null ? "" : ", disabledBecause=" + disabledBecause)
        + ", baseUrl="
        + baseUrl
        + ", allowInsecure="
        + allowInsecure
        + ", timeout="
        + Durations.format(timeout)
        + ", concurrency="
        + concurrency
        + ", report="
        + report
        + ", apiKeyFile="
        + apiKeyFile
        + ", journal="
        + journal
        + ", leaseTtl="
        + Durations.format(leaseTtl)
        + ", journalPasswordFile="
        + journalPasswordFile
        + ", maxRuntime="
        + (maxRuntime == null ? null : Durations.format(maxRuntime))
        + ", caFile="
        + caFile
        + ", proxy="
        + proxy
        + ", track="
        + (track ? "auto" : "off")
        + ", agentBaseUrl="
        + agentBaseUrl
        + ", agentApiKeyFile="
        + agentApiKeyFile
        + "}";
  }
}
