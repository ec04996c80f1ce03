package dev.lastcall.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults the emulator injects into its {@code /api} answers, so that a client's shutdown path can
 * be tested against a slow, failing, hanging or rate-limiting service.
 *
 * <p>Immutable; build one with {@link #builder()} and hand it to {@link Emulator.Builder#faults}
 * or, at runtime, to {@link Emulator#faults(Faults)}. Faults are decided when a request arrives,
 * before authentication, as a proxy in front of the real service would. The order is: hang, then
 * the per-task "first n" faults ({@code rateLimitFirst} and then {@code failFirst}), then the
 * random {@code rateLimitRate}, then the random {@code errorRate}. {@code latency} delays every
 * answer, faulty or not (a hung request never gets one).
 */
public final class Faults {

  private static final Faults NONE = new Builder().build();

  private final Duration latency;
  private final double errorRate;
  private final double hangRate;
  private final double rateLimitRate;
  private final Duration retryAfter;
  private final int failFirst;
  private final int rateLimitFirst;

  private Faults(Builder b) {
    this.latency = b.latency;
    this.errorRate = b.errorRate;
    this.hangRate = b.hangRate;
    this.rateLimitRate = b.rateLimitRate;
    this.retryAfter = b.retryAfter;
    this.failFirst = b.failFirst;
    this.rateLimitFirst = b.rateLimitFirst;
  }

  /** No faults: answers come at once and as documented. */
  public static Faults none() {
    return NONE;
  }

  /** A builder starting from {@link #none()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value, to change one setting. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.latency = latency;
    b.errorRate = errorRate;
    b.hangRate = hangRate;
    b.rateLimitRate = rateLimitRate;
    b.retryAfter = retryAfter;
    b.failFirst = failFirst;
    b.rateLimitFirst = rateLimitFirst;
    return b;
  }

  /** Delay added before every {@code /api} answer; never null, zero for none. */
  public Duration latency() {
    return latency;
  }

  /** Probability (0..1) that a request is answered 500. */
  public double errorRate() {
    return errorRate;
  }

  /** Probability (0..1) that a request is accepted and never answered until the emulator closes. */
  public double hangRate() {
    return hangRate;
  }

  /** Probability (0..1) that a request is answered 429. */
  public double rateLimitRate() {
    return rateLimitRate;
  }

  /** The {@code Retry-After} sent with every 429, or null to send none (as upstream does). */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** How many stop calls (PATCH) per task are answered 500 before the task behaves normally. */
  public int failFirst() {
    return failFirst;
  }

  /** How many stop calls (PATCH) per task are answered 429 before the task behaves normally. */
  public int rateLimitFirst() {
    return rateLimitFirst;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Faults)) {
      return false;
    }
    Faults f = (Faults) o;
    return latency.equals(f.latency)
        && Double.compare(errorRate, f.errorRate) == 0
        && Double.compare(hangRate, f.hangRate) == 0
        && Double.compare(rateLimitRate, f.rateLimitRate) == 0
        && Objects.equals(retryAfter, f.retryAfter)
        && failFirst == f.failFirst
        && rateLimitFirst == f.rateLimitFirst;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        latency, errorRate, hangRate, rateLimitRate, retryAfter, failFirst, rateLimitFirst);
  }

  @Override
  public String toString() {
    return "Faults{latency="
        + latency.toMillis()
        + "ms, errorRate="
        + errorRate
        + ", hangRate="
        + hangRate
        + ", rateLimitRate="
        + rateLimitRate
        + ", retryAfter="
        + (retryAfter == null ? "none" : retryAfter.toSeconds() + "s")
        + ", failFirst="
        + failFirst
        + ", rateLimitFirst="
        + rateLimitFirst
        + "}";
  }

  /** Builds {@link Faults}; every setter checks its argument at once. */
  public static final class Builder {
    private Duration latency = Duration.ZERO;
    private double errorRate;
    private double hangRate;
    private double rateLimitRate;
    private Duration retryAfter;
    private int failFirst;
    private int rateLimitFirst;

    private Builder() {}

    /** Delay added before every {@code /api} answer (zero or more). */
    public Builder latency(Duration latency) {
      Objects.requireNonNull(latency, "latency");
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative: " + latency);
      }
      this.latency = latency;
      return this;
    }

    /** Probability (0..1) of a 500 answer. */
    public Builder errorRate(double rate) {
      this.errorRate = checkRate("errorRate", rate);
      return this;
    }

    /** Probability (0..1) of never answering (until the emulator closes). */
    public Builder hangRate(double rate) {
      this.hangRate = checkRate("hangRate", rate);
      return this;
    }

    /** Probability (0..1) of a 429 answer. */
    public Builder rateLimitRate(double rate) {
      this.rateLimitRate = checkRate("rateLimitRate", rate);
      return this;
    }

    /** {@code Retry-After} for 429 answers, whole seconds (rounded up); null for no header. */
    public Builder retryAfter(Duration retryAfter) {
      if (retryAfter != null && retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /** The first {@code n} stop calls to each task are answered 500. */
    public Builder failFirst(int n) {
      this.failFirst = checkCount("failFirst", n);
      return this;
    }

    /** The first {@code n} stop calls to each task are answered 429. */
    public Builder rateLimitFirst(int n) {
      this.rateLimitFirst = checkCount("rateLimitFirst", n);
      return this;
    }

    public Faults build() {
      return new Faults(this);
    }

    private static double checkRate(String name, double rate) {
      // !(a <= b) also rejects NaN.
      if (!(rate >= 0.0 && rate <= 1.0)) {
        throw new IllegalArgumentException(name + " must be between 0 and 1: " + rate);
      }
      return rate;
    }

    private static int checkCount(String name, int n) {
      if (n < 0) {
        throw new IllegalArgumentException(name + " must not be negative: " + n);
      }
      return n;
    }
  }
}
