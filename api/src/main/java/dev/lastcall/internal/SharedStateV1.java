package dev.lastcall.internal;

import static dev.lastcall.internal.SharedState.ATTEMPTS;
import static dev.lastcall.internal.SharedState.CANCELLER_V1;
import static dev.lastcall.internal.SharedState.DEADLINE;
import static dev.lastcall.internal.SharedState.DEREGISTRATION_LISTENER;
import static dev.lastcall.internal.SharedState.DETAIL;
import static dev.lastcall.internal.SharedState.DURATION;
import static dev.lastcall.internal.SharedState.ELAPSED;
import static dev.lastcall.internal.SharedState.ID;
import static dev.lastcall.internal.SharedState.LIMITS;
import static dev.lastcall.internal.SharedState.LISTENERS_V1;
import static dev.lastcall.internal.SharedState.OUTCOME;
import static dev.lastcall.internal.SharedState.REGISTRATION_LISTENER;
import static dev.lastcall.internal.SharedState.RELEASE;
import static dev.lastcall.internal.SharedState.TASKS;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The positional layout of {@code TaskRegistry.sharedStateV1()}, spoken by copies of the api older
 * than {@link SharedState}: the only place that knows which position holds what. Its three tables
 * name the positions of the state, of an outcome and of a report; everything else converts through
 * them.
 */
final class SharedStateV1 {
  /** The state's elements, in order. Elements were only ever appended. */
  private static final String[] STATE = {
    TASKS,
    REGISTRATION_LISTENER,
    DEREGISTRATION_LISTENER,
    LIMITS,
    CANCELLER_V1,
    LISTENERS_V1,
    RELEASE
  };

  /**
   * The limits, the canceller and the listeners came in one release: a shorter state offers only
   * the elements before them.
   */
  private static final int WITH_CANCEL_ON_DEMAND = 6;

  private static final int BEFORE_CANCEL_ON_DEMAND = 3;

  private static final String[] OUTCOME_FIELDS = {ID, OUTCOME, ATTEMPTS, ELAPSED, DETAIL};

  private static final String[] REPORT_FIELDS = {DEADLINE, DURATION, TASKS};

  private SharedStateV1() {}

  /** The parts, by name, of a state an older canonical copy returned. */
  static Map<String, Object> parts(Object state) {
    Object[] positional = (Object[]) state;
    int offered =
        positional.length >= WITH_CANCEL_ON_DEMAND
            ? Math.min(positional.length, STATE.length)
            : Math.min(positional.length, BEFORE_CANCEL_ON_DEMAND);
    Map<String, Object> parts = new HashMap<>();
    for (int i = 0; i < offered; i++) {
      parts.put(STATE[i], positional[i]);
    }
    return parts;
  }

  /** The state as an older copy of the api reads it, from the parts by name. */
  static Object[] array(Map<String, Object> parts) {
    return positional(parts, STATE);
  }

  /** An outcome as older copies of the api read it. */
  static Object[] positionalOutcome(Map<String, ?> encoded) {
    return positional(encoded, OUTCOME_FIELDS);
  }

  /** A report, by name, from an older agent's positional one. */
  static Map<String, Object> namedReport(Object[] positional) {
    Map<String, Object> report = named(positional, REPORT_FIELDS);
    List<Map<String, Object>> outcomes = new ArrayList<>();
    for (Object task : (List<?>) report.get(TASKS)) {
      outcomes.add(named((Object[]) task, OUTCOME_FIELDS));
    }
    report.put(TASKS, List.copyOf(outcomes));
    return report;
  }

  /** A report as older copies of the api read it. */
  private static Object[] positionalReport(Map<String, ?> encoded) {
    Map<String, Object> report = new HashMap<>(encoded);
    List<Object[]> outcomes = new ArrayList<>();
    for (Object task : (List<?>) encoded.get(TASKS)) {
      @SuppressWarnings("unchecked") // each task is an encoded outcome
      Map<String, ?> outcome = (Map<String, ?>) task;
      outcomes.add(positionalOutcome(outcome));
    }
    report.put(TASKS, List.copyOf(outcomes));
    return positional(report, REPORT_FIELDS);
  }

  private static Map<String, Object> named(Object[] positional, String[] fields) {
    Map<String, Object> named = new HashMap<>();
    for (int i = 0; i < fields.length; i++) {
      named.put(fields[i], positional[i]);
    }
    return named;
  }

  private static Object[] positional(Map<String, ?> named, String[] fields) {
    Object[] positional = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      positional[i] = named.get(fields[i]);
    }
    return positional;
  }

  /**
   * Sits in the old list of listeners and hands each outcome an older agent tells on to the
   * listeners of the new list.
   */
  static final class Forwarder implements Consumer<Object[]> {
    private final List<Consumer<Map<String, Object>>> listeners;

    Forwarder(List<Consumer<Map<String, Object>>> listeners) {
      this.listeners = listeners;
    }

    @Override
    public void accept(Object[] positional) {
      Map<String, Object> encoded = Map.copyOf(named(positional, OUTCOME_FIELDS));
      for (Consumer<Map<String, Object>> listener : listeners) {
        try {
          listener.accept(encoded);
        } catch (Throwable ignored) {
          // A listener's failure must reach neither the agent nor the other listeners.
        }
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Forwarder && ((Forwarder) other).listeners == listeners;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(listeners);
    }
  }

  /** The agent's canceller as older copies of the api call it. */
  static final class Canceller implements BiFunction<List<String>, Duration, Object[]> {
    private final AtomicReference<BiFunction<List<String>, Duration, Map<String, Object>>> agent;

    Canceller(AtomicReference<BiFunction<List<String>, Duration, Map<String, Object>>> agent) {
      this.agent = agent;
    }

    @Override
    public Object[] apply(List<String> ids, Duration deadline) {
      BiFunction<List<String>, Duration, Map<String, Object>> current = agent.get();
      if (current == null) {
        throw new IllegalStateException("the Lastcall agent no longer cancels on demand");
      }
      return positionalReport(current.apply(ids, deadline));
    }
  }
}
