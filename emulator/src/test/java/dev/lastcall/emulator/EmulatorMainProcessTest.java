package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The real entry point in a child JVM: the announcement line, SIGTERM, and exit status 2. */
class EmulatorMainProcessTest {

  private static Process java(String... args) throws Exception {
    return java(ProcessBuilder.Redirect.PIPE, args);
  }

  private static Process java(ProcessBuilder.Redirect stderr, String... args) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                EmulatorMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(stderr).start();
  }

  @Test
  void announcesItsUrlServesAndStopsOnSigterm() throws Exception {
    Process p = java("--port", "0", "--api-key", "bb_child");
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertNotNull(line, "no announcement");
      Matcher m =
          Pattern.compile("lastcall-emulator listening on (http://127\\.0\\.0\\.1:\\d+)")
              .matcher(line);
      assertTrue(m.matches(), line);
      HttpResponse<String> r =
          Http.CLIENT.send(
              HttpRequest.newBuilder(URI.create(m.group(1) + "/api/tasks"))
                  .header("Authorization", "Bearer bb_child")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "did not stop on SIGTERM");
      assertEquals(143, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void withTlsItServesH2ToAClientTrustingThePrintedCaAndLogsNothing() throws Exception {
    // No SLF4J provider on this class path: Jetty must stay silent, SLF4J's warning included.
    // To a file: destroy() closes the pipes before what was written could be read.
    Path stderr = Files.createTempFile("emulator-stderr", ".txt");
    Process p = java(ProcessBuilder.Redirect.to(stderr.toFile()), "--port", "0", "--tls");
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Matcher url =
          Pattern.compile("lastcall-emulator listening on (https://127\\.0\\.0\\.1:\\d+)")
              .matcher(String.valueOf(out.readLine()));
      assertTrue(url.matches(), url.toString());
      Matcher ca =
          Pattern.compile("lastcall-emulator CA certificate: (.+)")
              .matcher(String.valueOf(out.readLine()));
      assertTrue(ca.matches(), ca.toString());
      String pem = Files.readString(Path.of(ca.group(1)));
      HttpResponse<String> r =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_2)
              .sslContext(dev.lastcall.emulator.tls.KeyStores.clientContextTrusting(pem))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url.group(1) + "/api/tasks"))
                      .header("Authorization", "Bearer bb_child")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals(HttpClient.Version.HTTP_2, r.version());
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "did not stop on SIGTERM");
      assertEquals("", Files.readString(stderr));
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(stderr);
    }
  }

  @Test
  void aBadFlagExitsWithStatus2() throws Exception {
    Process p = java("--port", "eighty");
    try {
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
      assertEquals(2, p.exitValue());
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(
          err.startsWith(
              "lastcall-emulator: --port: invalid value 'eighty'; expected an integer from 0 to"
                  + " 65535"),
          err);
      assertTrue(err.contains("Usage:"));
    } finally {
      p.destroyForcibly();
    }
  }
}
