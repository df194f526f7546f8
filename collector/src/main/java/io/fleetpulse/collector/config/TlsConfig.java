package io.fleetpulse.collector.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS for a listener: PEM files only.
 *
 * @param certFile PEM certificate chain; required
 * @param keyFile PEM private key (PKCS#8 or PKCS#1); required, never logged
 * @param clientCaFile PEM CA bundle; when set, clients must present a certificate it signed
 */
public record TlsConfig(String certFile, String keyFile, String clientCaFile) {

  List<String> problems() {
    List<String> out = new ArrayList<>();
    if (certFile == null || certFile.isBlank()) {
      out.add("certFile: is required");
    }
    if (keyFile == null || keyFile.isBlank()) {
      out.add("keyFile: is required");
    }
    return out;
  }

  void missingFiles(String prefix, List<String> out) {
    readable(certFile, prefix + "certFile", out);
    readable(keyFile, prefix + "keyFile", out);
    readable(clientCaFile, prefix + "clientCaFile", out);
  }

  /** Adds "field: 'file' is not a readable file" when a configured file cannot be read. */
  static void readable(String file, String field, List<String> out) {
    if (file != null && !file.isBlank() && !Files.isReadable(Path.of(file))) {
      out.add(field + ": '" + file + "' is not a readable file");
    }
  }
}
