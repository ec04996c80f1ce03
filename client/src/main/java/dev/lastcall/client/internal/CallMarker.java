package dev.lastcall.client.internal;

/**
 * Marks one call's request (as its tag) so that {@link ConnectionEvents} can tell that call's
 * events from every other's. Compared by identity: make a new one for each call to follow.
 */
public final class CallMarker {
  private final String name;

  /**
   * @param name what is followed, for {@link #toString()}
   */
  public CallMarker(String name) {
    this.name = name;
  }

  @Override
  public String toString() {
    return "CallMarker{" + name + "}";
  }
}
