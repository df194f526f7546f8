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
    readable(certFile, "certFile", true, out);
    readable(keyFile, "keyFile", true, out);
    readable(clientCaFile, "clientCaFile", false, out);
    return out;
  }

  static void readable(String file, String field, boolean required, List<String> out) {
    if (file == null || file.isBlank()) {
      if (required) {
        out.add(field + ": is required");
      }
      return;
    }
    if (!Files.isReadable(Path.of(file))) {
      out.add(field + ": '" + file + "' is not a readable file");
    }
  }
}
