package dev.lastcall.agent.tracking;

import java.io.OutputStream;

/**
 * A copy of the bytes an application read from one answer, kept up to {@link #CAP}: once over it,
 * or once {@link #drop() dropped} (the application skipped, reset or failed), the copy is gone for
 * good and the answer says nothing. Each copy belongs to one body, read by one thread at a time.
 */
final class BodyCopy extends OutputStream {
  /** The most of a body copied: answers the API documents are a few kilobytes. */
  static final int CAP = 1 << 20;

  private byte[] bytes = new byte[256]; // null once dropped
  private int length;

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] source, int offset, int n) {
    if (bytes == null || n <= 0) {
      return;
    }
    if (length + n > CAP) {
      drop();
      return;
    }
    if (length + n > bytes.length) {
      byte[] bigger = new byte[Math.min(CAP, Math.max(bytes.length * 2, length + n))];
      System.arraycopy(bytes, 0, bigger, 0, length);
      bytes = bigger;
    }
    System.arraycopy(source, offset, bytes, length, n);
    length += n;
  }

  /** Gives the copy up: what was read is no longer the whole body. */
  void drop() {
    bytes = null;
  }

  /** How many bytes were copied (meaningless once dropped). */
  long length() {
    return length;
  }

  /** The bytes copied, exactly; null if the copy was dropped. */
  byte[] bytes() {
    byte[] kept = bytes;
    if (kept == null) {
      return null;
    }
    byte[] exact = new byte[length];
    System.arraycopy(kept, 0, exact, 0, length);
    return exact;
  }

  /** True if a body of {@code contentLength} bytes (-1: unknown) can be copied whole. */
  static boolean fits(long contentLength) {
    return contentLength <= CAP;
  }
}
