package dev.lastcall.it.probe;

/**
 * Registers one task, then prints {@code LOAD <thread> <class>} for every bundled class Lastcall
 * loaded, once its preparation is done.
 */
public final class ProbeApp {
  private ProbeApp() {}

  public static void main(String[] args) throws InterruptedException {
    // The agent prepares its client at the first registration; give it one.
    dev.lastcall.TaskRegistry.global().register("probe-task");
    for (String load : ClassLoadProbe.loadsAfterPreparation(20_000)) {
      System.out.println("LOAD " + load);
    }
    System.out.println("DONE");
  }
}
