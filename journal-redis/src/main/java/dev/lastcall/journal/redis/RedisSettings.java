package dev.lastcall.journal.redis;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.client.tls.CaCertificates;
import dev.lastcall.client.tls.ClientTrust;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * How to reach the Redis journal: host, port, database, user and password (from the URL, else from
 * {@code journalPasswordFile}), TLS for {@code rediss://} (the JVM's trust plus {@code caFile}).
 * {@link #toString()} and {@link #where()} never show the password.
 */
final class RedisSettings {
  private final HostAndPort address;
  private final String user;
  private final String password;
  private final int database;
  private final boolean tls;
  private final ClientTrust trust;
  private final String where;
  private final Duration leaseTtl;

  private RedisSettings(
      HostAndPort address,
      String user,
      String password,
      int database,
      boolean tls,
      ClientTrust trust,
      String where,
      Duration leaseTtl) {
    this.address = address;
    this.user = user;
    this.password = password;
    this.database = database;
    this.tls = tls;
    this.trust = trust;
    this.where = where;
    this.leaseTtl = leaseTtl;
  }

  /**
   * The settings {@code config} names.
   *
   * @throws IOException if the password file or the CA file cannot be read
   */
  static RedisSettings of(AgentConfig config) throws IOException {
    URI uri = config.journal().flatMap(j -> j.redis()).orElseThrow();
    boolean tls = uri.getScheme().equalsIgnoreCase("rediss");
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info); // redis://secret@host, as redis-cli takes it
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
    }
    if (password == null && config.journalPasswordFile().isPresent()) {
      password =
          Files.readString(config.journalPasswordFile().get(), StandardCharsets.UTF_8).strip();
    }
    String path = uri.getPath();
    int database = path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
    ClientTrust trust = null;
    if (tls && config.caFile().isPresent()) {
      trust = ClientTrust.defaultTrustPlus(CaCertificates.read(config.caFile().get()));
    }
    return new RedisSettings(
        new HostAndPort(uri.getHost(), port),
        user,
        password == null || password.isEmpty() ? null : password,
        database,
        tls,
        trust,
        config.journal().get().toString(),
        config.leaseTtl());
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** A new connection; each call's connect and read wait at most {@code timeout}. */
  Jedis connect(Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    DefaultJedisClientConfig.Builder builder =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .database(database)
            .clientName("lastcall")
            // CLIENT SETINFO is Redis 7.2's: one round trip less, and no error from older servers.
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
            .ssl(tls);
    if (user != null) {
      builder.user(user);
    }
    if (password != null) {
      builder.password(password);
    }
    if (trust != null) {
      builder.sslSocketFactory(trust.socketFactory());
    }
    Jedis jedis = new Jedis(address, builder.build());
    jedis.connect(); // connect and authenticate now, inside the timeout, not at the first call
    return jedis;
  }

  /** The URL without user or password, for messages. */
  String where() {
    return where;
  }

  Duration leaseTtl() {
    return leaseTtl;
  }

  @Override
  public String toString() {
    return where;
  }
}
