package dev.lastcall.it.probe;

/** Prints {@code LOAD <thread> <class>} for every bundled class Lastcall loaded, once its preparation is done. */
public final class ProbeApp {
  private ProbeApp() {}

  public static void main(String[] args) throws InterruptedException {
    for (String load : ClassLoadProbe.loadsAfterPreparation(20_000)) {
      System.out.println("LOAD " + load);
    }
    System.out.println("DONE");
  }
}
