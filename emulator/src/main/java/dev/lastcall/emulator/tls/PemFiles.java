package dev.lastcall.emulator.tls;

import java.nio.file.Path;

/**
 * Where a certificate chain and its private key were written, as the emulator's --tls-cert and
 * --tls-key take them.
 */
public record PemFiles(Path certificateChain, Path privateKey) {}
