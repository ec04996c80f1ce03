package dev.lastcall.emulator;

/** Which API resource a request path names: the task collection, one task, or one task's status. */
record ApiRoute(Kind kind, String taskId) {

  enum Kind {
    COLLECTION,
    TASK,
    STATUS,
    NOT_FOUND
  }

  private static final String PREFIX = "/api/tasks";
  private static final ApiRoute NOT_FOUND = new ApiRoute(Kind.NOT_FOUND, null);
  private static final ApiRoute COLLECTION = new ApiRoute(Kind.COLLECTION, null);

  static ApiRoute of(String rawPath) {
    if (rawPath == null || !rawPath.startsWith(PREFIX)) {
      return NOT_FOUND;
    }
    String rest = rawPath.substring(PREFIX.length());
    if (rest.isEmpty() || rest.equals("/")) {
      return COLLECTION;
    }
    if (rest.charAt(0) != '/') {
      return NOT_FOUND; // e.g. /api/tasksx
    }
    String[] parts = rest.substring(1).split("/", -1);
    if (parts[0].isEmpty()) {
      return NOT_FOUND;
    }
    if (parts.length == 1) {
      return new ApiRoute(Kind.TASK, parts[0]);
    }
    if (parts.length == 2 && parts[1].equals("status")) {
      return new ApiRoute(Kind.STATUS, parts[0]);
    }
    return NOT_FOUND;
  }

  /** Methods this route answers, for the {@code Allow} header of a 405. */
  String allow() {
    switch (kind) {
      case COLLECTION:
        return "GET, POST";
      case TASK:
        return "GET, PATCH";
      default:
        return "GET";
    }
  }
}
