package dev.lastcall.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which API keys are accepted and which user each one is. A user id is a hash of the key,
 * so the emulator can tell users apart and answer {@code userId} without ever storing or echoing a
 * key.
 */
final class ApiKeys {
  /** The cloud family's keys start with this. */
  static final String CLOUD_PREFIX = "bb_";

  /** The v1 Agent API's keys start with this. */
  static final String V1_PREFIX = "sk-";

  private static final String BEARER = "bearer ";

  private final String prefix;
  private final Set<String> acceptedUserIds;

  /**
   * @param prefix what every plausible key starts with ({@link #CLOUD_PREFIX}, {@link #V1_PREFIX})
   * @param accepted the only keys accepted; empty means any key starting with {@code prefix}
   */
  ApiKeys(String prefix, Set<String> accepted) {
    this.prefix = prefix;
    this.acceptedUserIds =
        accepted.stream().map(ApiKeys::userIdOf).collect(Collectors.toUnmodifiableSet());
  }

  /** The user behind an {@code Authorization} header value, or empty when it must be refused. */
  Optional<String> userForHeader(String authorization) {
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    return userForKey(authorization.substring(BEARER.length()).trim());
  }

  /** The user behind a key, or empty when it must be refused. */
  Optional<String> userForKey(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.empty();
    }
    if (acceptedUserIds.isEmpty()) {
      boolean plausible =
          key.startsWith(prefix)
              && key.length() > prefix.length()
              && key.chars().noneMatch(Character::isWhitespace);
      return plausible ? Optional.of(userIdOf(key)) : Optional.empty();
    }
    String user = userIdOf(key);
    return acceptedUserIds.contains(user) ? Optional.of(user) : Optional.empty();
  }

  static String userIdOf(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "user_" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
