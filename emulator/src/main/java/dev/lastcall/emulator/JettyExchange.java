package dev.lastcall.emulator;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty request as an {@link Exchange}. Answering completes Jetty's callback, from whichever
 * thread answers: nothing here blocks, so a delayed or hung answer holds no thread.
 */
final class JettyExchange implements Exchange {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final byte[] body;
  private final AtomicBoolean answered = new AtomicBoolean();

  JettyExchange(Request request, Response response, Callback callback, byte[] body) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.body = body;
    // A hung or delayed request shows no traffic: that is the fault, not a reason to end it.
    request.addIdleTimeoutListener(timeout -> false);
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String rawPath() {
    return request.getHttpURI().getPath();
  }

  @Override
  public String rawQuery() {
    return request.getHttpURI().getQuery();
  }

  @Override
  public String header(String name) {
    return request.getHeaders().get(name);
  }

  @Override
  public byte[] body() {
    return body;
  }

  @Override
  public void send(HttpAnswer answer) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    response.setStatus(answer.status());
    HttpFields.Mutable headers = response.getHeaders();
    byte[] bytes = answer.body();
    if (bytes.length > 0) {
      headers.put(HttpHeader.CONTENT_TYPE, "application/json");
    }
    for (Map.Entry<String, String> h : answer.headers().entrySet()) {
      headers.put(h.getKey(), h.getValue());
    }
    if (bytes.length == 0) {
      response.write(true, null, callback);
    } else {
      // A fixed length keeps an HTTP/1.1 connection reusable, as the JDK server's answers did.
      headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, ByteBuffer.wrap(bytes), callback);
    }
  }

  @Override
  public void abort() {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    // Failing the callback alone would make Jetty answer 500; closing first leaves it nothing to
    // write to, so the client sees the connection close as it did with the JDK server. An
    // EofException is one Jetty does not log: the connection is gone, which is the point.
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    endPoint.close();
    callback.failed(new EofException("the emulator closed a request it never answered"));
  }
}
