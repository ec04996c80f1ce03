package dev.lastcall.bench;

/** The smallest program: the cost of attaching an agent is measured against it. */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
