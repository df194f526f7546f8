package io.fleetpulse.agent.push;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpPushClientCaFileTest {
  @TempDir Path dir;

  @Test
  void aCaFileWithoutCertificatesIsRefusedNamingTheFile() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");

    assertThatThrownBy(() -> HttpPushClient.sslContext(empty))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot use CA file " + empty + ": no certificate found");
  }

  @Test
  void aCaFileThatIsNotACertificateIsRefusedNamingTheFile() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");

    assertThatThrownBy(() -> HttpPushClient.sslContext(garbage))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot use CA file " + garbage + ": ");
  }
}
