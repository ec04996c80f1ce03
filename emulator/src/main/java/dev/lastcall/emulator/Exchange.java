package dev.lastcall.emulator;

/**
 * One request, its body already read, and the means to answer it once. The handlers see only this,
 * not the server that carries it, so an answer can be sent later from another thread.
 */
interface Exchange {
  String method();

  /** The path as sent, still percent-encoded. */
  String rawPath();

  /** The query as sent, or null. */
  String rawQuery();

  /** The first value of a request header, or null. */
  String header(String name);

  /** The whole body, or null when it was larger than the emulator reads. */
  byte[] body();

  /** Sends a complete answer; only the first call of send or abort counts. */
  void send(HttpAnswer answer);

  /** Answers nothing and closes the connection, which the client sees as the server going away. */
  void abort();
}
