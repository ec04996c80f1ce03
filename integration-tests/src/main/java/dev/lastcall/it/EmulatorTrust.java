package dev.lastcall.it;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.tls.KeyStores;
import dev.lastcall.emulator.tls.Pem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;

/**
 * Makes a child JVM trust an emulator that serves HTTPS the way a production JVM trusts a corporate
 * CA: through the JVM's own trust, {@code -Djavax.net.ssl.trustStore=<a PKCS12 file holding the
 * emulator's CA>}. The agent and the app both use that default trust, so neither needs a trust
 * option of its own.
 */
public final class EmulatorTrust {
  /**
   * The store's password. Not a secret: the store holds one public CA certificate, and the JDK
   * wants a password to check a PKCS12 file's integrity.
   */
  static final String STORE_PASSWORD = "lastcall-emulator-ca";

  private EmulatorTrust() {}

  /**
   * The JVM options that make a child trust {@code emulator}: none for plain HTTP; for HTTPS, the
   * options naming a PKCS12 trust store with its CA, written to {@code dir} (once per emulator).
   *
   * @throws IllegalArgumentException if it serves HTTPS with a certificate it did not make, whose
   *     CA it therefore cannot hand out
   */
  public static List<String> jvmOptions(Emulator emulator, Path dir) throws IOException {
    if (!emulator.isTls()) {
      return List.of();
    }
    String ca =
        emulator
            .caCertificatePem()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the emulator at "
                            + emulator.baseUrl()
                            + " serves a given certificate; trust its CA yourself"));
    Path store = dir.resolve("emulator-ca-" + emulator.port() + ".p12");
    if (!Files.exists(store)) {
      write(KeyStores.trustStore(Pem.certificates(ca)), store);
    }
    return List.of(
        "-Djavax.net.ssl.trustStore=" + store.toAbsolutePath(),
        "-Djavax.net.ssl.trustStoreType=PKCS12",
        "-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD);
  }

  private static void write(KeyStore trustStore, Path file) throws IOException {
    Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "emulator-ca", ".tmp");
    try (OutputStream out = Files.newOutputStream(temp)) {
      trustStore.store(out, STORE_PASSWORD.toCharArray());
    } catch (GeneralSecurityException e) {
      Files.deleteIfExists(temp);
      throw new IllegalStateException("every JDK can write a PKCS12 trust store", e);
    }
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
