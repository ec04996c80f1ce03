package dev.lastcall.agent.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * The stream an application reads an answer from, with a copy taken of exactly what it reads: every
 * call goes to the application's stream first and returns its result and exceptions as they are;
 * the copy never reads ahead. When the application has read the whole body (end of stream, or as
 * many bytes as the answer's length said), the copy goes to {@code whole} once, before the read
 * that finished it returns. Skipping, a reset, a failed read, or closing early gives the copy up.
 * Used for {@code HttpURLConnection} and Apache HttpClient's entity content.
 */
final class TeeingInputStream extends InputStream {
  private final InputStream application;
  private final long contentLength; // -1: unknown
  private final Consumer<byte[]> whole;
  private final Tracker tracker;
  private final BodyCopy copy = new BodyCopy();
  private boolean finished;

  TeeingInputStream(
      InputStream application, long contentLength, Consumer<byte[]> whole, Tracker tracker) {
    this.application = application;
    this.contentLength = contentLength;
    this.whole = whole;
    this.tracker = tracker;
  }

  /** True if this tees {@code stream}. */
  boolean tees(InputStream stream) {
    return application == stream;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = application.read();
    } catch (IOException | RuntimeException | Error e) {
      giveUp();
      throw e;
    }
    if (b < 0) {
      finish();
    } else {
      kept(new byte[] {(byte) b}, 0, 1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n;
    try {
      n = application.read(buffer, offset, length);
    } catch (IOException | RuntimeException | Error e) {
      giveUp();
      throw e;
    }
    if (n < 0) {
      finish();
    } else {
      kept(buffer, offset, n);
    }
    return n;
  }

  private void kept(byte[] buffer, int offset, int n) {
    if (finished) {
      return;
    }
    try {
      copy.write(buffer, offset, n);
      if (contentLength >= 0 && copy.length() >= contentLength) {
        finish();
      }
    } catch (Throwable t) {
      giveUp();
      tracker.failed(t);
    }
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    byte[] body = copy.bytes();
    if (body != null) {
      whole.accept(body); // Tracker.observe: never throws
    }
  }

  private void giveUp() {
    copy.drop();
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = application.skip(n);
    if (skipped > 0) {
      giveUp();
    }
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return application.available();
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      giveUp();
    }
    application.close();
  }

  @Override
  public boolean markSupported() {
    return application.markSupported();
  }

  @Override
  public synchronized void mark(int readLimit) {
    application.mark(readLimit);
  }

  @Override
  public synchronized void reset() throws IOException {
    giveUp();
    application.reset();
  }

  @Override
  public String toString() {
    return application.toString();
  }
}
