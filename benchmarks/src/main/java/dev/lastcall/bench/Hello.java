package dev.lastcall.bench;

/**
 * The smallest program: the cost of attaching an agent is measured against it. With {@code
 * --http-client} it first creates a JDK {@code HttpClient}, a class tracking covers, so its rows
 * show what a program that uses a covered client at once waits for tracking's build.
 */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("--http-client")) {
      java.net.http.HttpClient.newHttpClient();
    }
    System.out.println("hello");
  }
}
