package dev.lastcall.emulator;

/**
 * Which v1 resource a request path names: the run collection ({@code /api/v1/tasks}), one run, or
 * one run's status.
 */
record RunRoute(Kind kind, String runId) {

  enum Kind {
    COLLECTION,
    RUN,
    STATUS,
    NOT_FOUND
  }

  private static final String PREFIX = "/api/v1/tasks";
  private static final RunRoute NOT_FOUND = new RunRoute(Kind.NOT_FOUND, null);
  private static final RunRoute COLLECTION = new RunRoute(Kind.COLLECTION, null);

  static RunRoute of(String rawPath) {
    if (rawPath == null || !rawPath.startsWith(PREFIX)) {
      return NOT_FOUND;
    }
    String rest = rawPath.substring(PREFIX.length());
    if (rest.isEmpty() || rest.equals("/")) {
      return COLLECTION;
    }
    if (rest.charAt(0) != '/') {
      return NOT_FOUND;
    }
    String[] parts = rest.substring(1).split("/", -1);
    if (parts[0].isEmpty()) {
      return NOT_FOUND;
    }
    if (parts.length == 1) {
      return new RunRoute(Kind.RUN, parts[0]);
    }
    if (parts.length == 2 && parts[1].equals("status")) {
      return new RunRoute(Kind.STATUS, parts[0]);
    }
    return NOT_FOUND;
  }

  /** Whether this route answers {@code method}. */
  boolean allows(String method) {
    switch (kind) {
      case COLLECTION:
        return method.equals("GET") || method.equals("POST");
      case RUN:
        return method.equals("GET") || method.equals("PATCH");
      default:
        return method.equals("GET");
    }
  }

  /** Methods this route answers, for the {@code Allow} header of a 405. */
  String allow() {
    switch (kind) {
      case COLLECTION:
        return "GET, POST";
      case RUN:
        return "GET, PATCH";
      default:
        return "GET";
    }
  }
}
