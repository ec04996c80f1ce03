package dev.lastcall.agent.tracking;

import java.net.URI;
import java.util.Objects;

/**
 * One answer the application's own HTTP client received, as instrumentation saw it: the request's
 * method and URI, the response code, and the body the application read, or null when it was not
 * observed (streamed, larger than the cap, the call failed or was cancelled).
 */
public record ApiAnswer(String method, URI uri, int code, byte[] body) {
  public ApiAnswer {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
  }
}
