package dev.lastcall.emulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator from the command line until the process is stopped (SIGTERM or SIGINT close it
 * cleanly). Prints one line, {@code lastcall-emulator listening on http://HOST:PORT} (or {@code
 * https://}), once it accepts connections; with {@code --tls} a second, {@code lastcall-emulator CA
 * certificate: PATH}, naming the PEM file of the CA to trust, written before the first line. Exit
 * status: 2 for a bad command line, 1 if it cannot listen, 0 for --help.
 */
public final class EmulatorMain {

  private EmulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    Launch launch = launch(args, System.out, System.err);
    if (launch.emulator() == null) {
      System.exit(launch.exitCode());
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(launch.emulator()::close, "lastcall-emulator-shutdown"));
    // Every emulator thread is a daemon, so main must stay alive until the process is told to stop.
    new CountDownLatch(1).await();
  }

  /** The outcome of {@link #launch}: a running emulator, or the status to exit with. */
  record Launch(Emulator emulator, int exitCode) {}

  /** Parses, starts and announces the emulator; prints what went wrong otherwise. */
  static Launch launch(String[] args, PrintStream out, PrintStream err) {
    CommandLine.Parsed parsed;
    try {
      parsed = CommandLine.parse(args);
    } catch (UsageException e) {
      err.println("lastcall-emulator: " + e.getMessage());
      err.println(CommandLine.USAGE);
      err.flush();
      return new Launch(null, 2);
    }
    if (parsed.help()) {
      out.println(CommandLine.USAGE);
      out.flush();
      return new Launch(null, 0);
    }
    try {
      Emulator.Builder builder = parsed.builder();
      if (builder.generatesCertificate() && !builder.writesCa()) {
        builder.tlsCaOut(
            Files.createTempDirectory("lastcall-emulator-").resolve("emulator-ca.pem"));
      }
      Emulator emulator = builder.start();
      out.println("lastcall-emulator listening on " + emulator.baseUrl());
      emulator
          .caCertificatePath()
          .ifPresent(p -> out.println("lastcall-emulator CA certificate: " + p.toAbsolutePath()));
      out.flush();
      return new Launch(emulator, 0);
    } catch (IOException | RuntimeException e) {
      err.println("lastcall-emulator: cannot listen: " + e);
      err.flush();
      return new Launch(null, 1);
    }
  }
}
